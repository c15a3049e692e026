package dev.lockstep.lock;

import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.events.EventHistory;
import dev.lockstep.lock.events.Watches;
import dev.lockstep.lock.lease.LeaseLostException;
import dev.lockstep.lock.persistence.LockStore;
import dev.lockstep.lock.persistence.StoredState;
import dev.lockstep.lock.session.SessionTokenIssuer;
import dev.lockstep.lock.table.LockTable;
import dev.lockstep.lock.table.LockTableException;
import java.time.Clock;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The lock service's plain-Java parts, loaded from the store at start: the table behind its lock,
 * and the watches its stored changes are published to. {@link LockService} builds them from its
 * configuration; the unit tests build them with a fake store and a fake clock.
 */
record ServiceParts(DurableTable table, Watches watches, DurableBatch batches) {
  private static final Logger LOG = Logger.getLogger(ServiceParts.class.getName());

  /** Restores the table and the event history from what {@code store} holds. */
  static ServiceParts load(
      LockStore store, Clock clock, LockstepSettings settings, LockCounters counters) {
    return load(
        store,
        clock,
        settings,
        counters,
        lost -> new LockTableException(ProblemType.NOT_LEADER, lost.getMessage()));
  }

  /**
   * As above, for the active server of a group: {@code leaseLost} is what a commit that found the
   * lease taken over calls, to step the server down and give the refusal to answer.
   */
  static ServiceParts load(
      LockStore store,
      Clock clock,
      LockstepSettings settings,
      LockCounters counters,
      Function<LeaseLostException, RuntimeException> leaseLost) {
    StoredState stored = store.load();
    EventHistory history = new EventHistory(settings.eventsKept(), stored.forgottenUpTo());
    history.append(stored.events());
    LockTable table = new LockTable(clock, settings.limits(), new SessionTokenIssuer());
    table.restore(stored.counter(), stored.sessions(), stored.grants(), stored.delays());
    Watches watches = new Watches(history, settings.maxWatchers(), table.revision());
    GrantChannels channels = new GrantChannels();
    CommitDispatcher dispatcher = new CommitDispatcher(watches, counters, channels);
    LOG.info(
        () ->
            "lock table loaded: "
                + stored.sessions().size()
                + " sessions, "
                + stored.grants().size()
                + " grants, counter at "
                + stored.counter()
                + " ("
                + settings.store().effectiveUrl().replaceAll("password=[^;]*", "password=***")
                + ")");
    DurableTable durable = new DurableTable(table, store, dispatcher, counters, leaseLost);
    return new ServiceParts(
        durable, watches, new DurableBatch(durable, table, dispatcher, channels, counters));
  }
}
