package dev.lockstep.lock.events;

import dev.lockstep.api.LockEvent;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.LockTableException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The event stream's one publisher: the hub that fans events out, the history watchers resume from,
 * the rules of resuming (replay, or a reset when events are gone), and the watcher limit. The hub,
 * the history and the published revision are guarded by this object's monitor, which every publish
 * and every subscribe takes: that is why a resuming watcher sees no gap and no duplicate between
 * its replay and the live events.
 */
public final class Watches {
  private final EventHub hub = new EventHub();
  private final EventHistory history;
  private final int maxWatchers;
  private long publishedRevision;

  /** {@code history} holds what was loaded; {@code revision} is the table's at start. */
  public Watches(EventHistory history, int maxWatchers, long revision) {
    if (maxWatchers < 1) {
      throw new IllegalArgumentException("maxWatchers must be positive: " + maxWatchers);
    }
    this.history = history;
    this.maxWatchers = maxWatchers;
    this.publishedRevision = revision;
  }

  /**
   * Subscribes a watcher. With {@code resumeAfter}, it first gets every kept matching event after
   * that revision, or a reset when some are gone; then live events.
   *
   * @throws LockTableException {@code too-many} when the server feeds its maximum of watchers
   */
  public synchronized void watch(EventFilter filter, OptionalLong resumeAfter, Watcher watcher) {
    if (hub.watcherCount() >= maxWatchers) {
      throw new LockTableException(
          ProblemType.TOO_MANY, "the server feeds its maximum of " + maxWatchers + " watchers");
    }
    long revision = publishedRevision;
    if (resumeAfter.isEmpty() || resumeAfter.getAsLong() == revision) {
      watcher.start(List.of(), false, revision);
    } else if (resumeAfter.getAsLong() > revision) {
      // A revision this server never reached: its history is not the one the watcher saw.
      watcher.start(List.of(), true, revision);
    } else {
      Optional<List<LockEvent>> replay = history.after(resumeAfter.getAsLong(), filter);
      watcher.start(replay.orElse(List.of()), replay.isEmpty(), revision);
    }
    hub.subscribe(filter, watcher);
  }

  public synchronized void unwatch(Watcher watcher) {
    hub.unsubscribe(watcher);
  }

  /** Drops every watcher: the server is no longer the active one, and publishes nothing more. */
  public synchronized void dropAll() {
    hub.dropAll();
  }

  public synchronized int watcherCount() {
    return hub.watcherCount();
  }

  /** The revision of the last stored change, the one a new watcher starts at. */
  public synchronized long publishedRevision() {
    return publishedRevision;
  }

  /**
   * Publishes the events of a stored change, in revision order, and moves the published revision to
   * the counter after it (a change without events, such as an opened session, moves it too).
   */
  public synchronized void publish(List<LockEvent> events, long counter) {
    if (!events.isEmpty()) {
      history.append(events);
      hub.publish(events);
    }
    publishedRevision = Math.max(publishedRevision, counter);
  }
}
