package dev.lockstep.lock;

import dev.lockstep.lock.Delivery.Telling;
import dev.lockstep.lock.events.Watches;
import dev.lockstep.lock.table.Changes;
import dev.lockstep.lock.table.WaitEnded;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one way news of a change leaves the lock service, and only after the change is stored: its
 * events are counted and published to the watchers, and the waiters whose waits it ended are told.
 * Every ending travels this path, a grant, a timeout, a withdrawal and a wait superseded by a newer
 * request of its session alike, each with the batch of the operation that ended it.
 *
 * <p>Waiters are told on the threads of the callers that pass through the lock service once their
 * own batch is settled ({@link #tellWaiters}), not on the committing thread: a grant reaches its
 * waiter with no thread hop, and never from inside a commit, where a listener that called back into
 * the lock service would wait for the very commit it runs in.
 */
final class CommitDispatcher {
  private static final Logger LOG = Logger.getLogger(CommitDispatcher.class.getName());

  private final Watches watches;
  private final LockCounters counters;

  /** The listeners of queued requests by waiter id. Guarded by the table lock. */
  private final Map<Long, WaitListener> listeners = new HashMap<>();

  /** Waits superseded by the operation being applied. Guarded by the table lock. */
  private final List<Telling> superseded = new ArrayList<>();

  /**
   * Endings of stored batches, in order, for the next caller that passes to tell; and after the
   * endings of a batch that ended sessions, the closing of their grant channels.
   */
  private final ConcurrentLinkedQueue<Runnable> stored = new ConcurrentLinkedQueue<>();

  private final GrantChannels channels;

  CommitDispatcher(Watches watches, LockCounters counters, GrantChannels channels) {
    this.watches = watches;
    this.counters = counters;
    this.channels = channels;
  }

  /**
   * Registers the listener of a queued request, under the table lock, before the acquire returns,
   * so that no ending can slip past it. A listener already waiting on that place in line (the
   * session queued again for the same lock) is told {@code superseded} with the operation's batch.
   */
  void listen(long waiterId, WaitListener listener, Supplier<WaitRefused> superseded) {
    WaitListener older = listeners.put(waiterId, listener);
    // Equal, not only the same: a batch that queues again under the same request id is one wait.
    if (older != null && !older.equals(listener)) {
      this.superseded.add(new Telling(older, superseded.get()));
    }
  }

  /** Forgets the listener of a wait its client left: it is never told afterwards. */
  void forget(long waiterId) {
    listeners.remove(waiterId);
  }

  /**
   * What the operation's changes deliver once stored, or empty when there is nothing to store or
   * tell. Called under the table lock: the listeners of the ended waits are taken out now, so that
   * a wait cancelled after this point is still told how it ended, and one cancelled before is not.
   */
  Optional<Delivery> deliveryOf(Changes changes) {
    List<Telling> tellings = new ArrayList<>(superseded);
    superseded.clear();
    for (WaitEnded ended : changes.waitsEnded()) {
      WaitListener listener = listeners.remove(ended.waiterId());
      if (listener != null) {
        tellings.add(new Telling(listener, ended));
      }
    }
    if (!changes.touchesStore() && tellings.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Delivery(changes, tellings));
  }

  /**
   * Called on the committing thread once a batch is stored, in the order its operations changed the
   * table: publishes their events and hands their endings to the callers that tell them.
   */
  void stored(List<Delivery> batch) {
    for (Delivery delivery : batch) {
      Changes changes = delivery.changes();
      try {
        counters.published(changes.events());
        watches.publish(changes.events(), changes.counter());
      } catch (RuntimeException e) {
        // One watcher's fault must not keep the rest of the batch from being delivered.
        LOG.log(Level.WARNING, "publishing a stored change failed", e);
      }
      delivery.tellings().forEach(telling -> stored.add(telling::tell));
      changes.sessionsEnded().forEach(session -> stored.add(() -> channels.ended(session)));
    }
  }

  /** Tells the waiters whose waits stored batches ended, on the calling thread. */
  void tellWaiters() {
    for (Runnable telling = stored.poll(); telling != null; telling = stored.poll()) {
      try {
        telling.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "telling a waiter how its wait ended failed", e);
      }
    }
  }

  /** The current sizes the caller read, with the watchers and the totals. */
  LockStats stats(int sessions, long holds, int waiters) {
    return counters.stats(sessions, holds, waiters, watches.watcherCount());
  }
}
