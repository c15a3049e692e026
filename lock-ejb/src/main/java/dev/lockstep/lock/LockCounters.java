package dev.lockstep.lock;

import dev.lockstep.api.LockEvent;
import java.util.List;
import org.eclipse.microprofile.metrics.Counter;

/**
 * The lock service's totals since start, each counted once, in the MicroProfile counter that {@code
 * GET /metrics} shows; {@link LockStats} reads the same counters back.
 */
final class LockCounters {
  /** Makes (or finds) the counter of a name: the metric registry in the server, a fake in tests. */
  @FunctionalInterface
  interface Registry {
    Counter counter(String name, String description);
  }

  private final Counter storeCommits;
  private final Counter storeChanges;
  private final Counter grants;
  private final Counter releases;
  private final Counter expiries;
  private final Counter sessionExpiries;
  private final Counter events;
  private final Counter batches;
  private final Counter batchOperations;

  LockCounters(Registry registry) {
    storeCommits =
        registry.counter(
            "lockstep.store.commits",
            "Transactions that stored changes of the lock table (group commits) since start");
    storeChanges =
        registry.counter(
            "lockstep.store.changes",
            "Operations whose changes were stored since start; divided by commits: the mean batch");
    grants = registry.counter("lockstep.grants", "Grants since start");
    releases = registry.counter("lockstep.releases", "Releases since start");
    expiries = registry.counter("lockstep.expiries", "Holds ended by session expiry since start");
    sessionExpiries = registry.counter("lockstep.session.expiries", "Sessions expired since start");
    events = registry.counter("lockstep.events", "Events published since start");
    batches = registry.counter("lockstep.batches", "Batches (POST /batch) applied since start");
    batchOperations =
        registry.counter(
            "lockstep.batch.operations", "Operations of the batches applied since start");
  }

  /** One transaction stored the changes of {@code operations} operations. */
  void committed(int operations) {
    storeCommits.inc();
    storeChanges.inc(operations);
  }

  /** A batch of {@code operations} operations was applied and stored. */
  void batched(int operations) {
    batches.inc();
    batchOperations.inc(operations);
  }

  /** Counts the events of a stored change as they are published. */
  void published(List<LockEvent> published) {
    if (published.isEmpty()) {
      return;
    }
    events.inc(published.size());
    for (LockEvent event : published) {
      switch (event.kind()) {
        case ACQUIRED -> grants.inc();
        case RELEASED -> releases.inc();
        case EXPIRED -> expiries.inc();
        case SESSION_EXPIRED -> sessionExpiries.inc();
        default -> {}
      }
    }
  }

  /** The totals beside the current sizes the caller read. */
  LockStats stats(int sessions, long holds, int waiters, int watchers) {
    return new LockStats(
        sessions,
        holds,
        waiters,
        watchers,
        grants.getCount(),
        releases.getCount(),
        expiries.getCount(),
        sessionExpiries.getCount(),
        events.getCount());
  }
}
