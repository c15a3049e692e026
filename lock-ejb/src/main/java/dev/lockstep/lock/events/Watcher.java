package dev.lockstep.lock.events;

import dev.lockstep.api.LockEvent;

/**
 * One subscriber of the event stream, fed by the hub under the monitor of {@link Watches} (the
 * event monitor).
 */
public interface Watcher {
  /**
   * Called once, before any {@link #offer}, with the kept events the watcher asked to resume from;
   * {@code reset} when some of them are gone and the watcher must re-read the state, at {@code
   * revision}. A replay is not bounded by the watcher's buffer: it is already in memory.
   */
  void start(java.util.List<LockEvent> replay, boolean reset, long revision);

  /**
   * Takes an event without blocking. False when the watcher cannot keep up (its buffer is full) or
   * is gone: the hub then drops it, so that a slow watcher never slows a grant.
   */
  boolean offer(LockEvent event);

  /** Called once when the hub drops the watcher for falling behind. */
  void dropped();
}
