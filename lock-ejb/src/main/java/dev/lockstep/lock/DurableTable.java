package dev.lockstep.lock;

import dev.lockstep.api.LockList;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.lease.LeaseLostException;
import dev.lockstep.lock.persistence.LockStore;
import dev.lockstep.lock.table.AcquireResult;
import dev.lockstep.lock.table.Changes;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.LockTable;
import dev.lockstep.lock.table.LockTableException;
import dev.lockstep.lock.table.OpenedSession;
import dev.lockstep.lock.table.Outcome;
import dev.lockstep.lock.table.SessionPage;
import dev.lockstep.lock.table.SessionSnapshot;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The lock table behind one table lock, with every answer durable. Each operation: expire what is
 * due, apply the operation, queue its changes for the store; then, outside the table lock, wait
 * until a group commit has stored them, and only then answer. Plain Java, so that it is tested with
 * a fake store and a fake clock; {@link LockService} is the EJB around it. It holds no rule of its
 * own: those are the lock table's.
 */
final class DurableTable {
  /** How long an operation waits for the table before it is refused as unavailable. */
  private static final long TABLE_WAIT_SECONDS = 30;

  private static final Changes NO_CHANGES =
      new Changes(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), 0);
  private static final Logger LOG = Logger.getLogger(DurableTable.class.getName());

  private final LockTable table;
  private final LockStore store;
  private final CommitDispatcher dispatcher;
  private final GroupCommit commits;
  private final ReentrantLock tableLock = new ReentrantLock();
  private final Function<LeaseLostException, RuntimeException> leaseLost;

  /**
   * Set by the commit that found the lease taken over, before that batch counts as settled: no
   * caller who waited for it, reader or writer, may answer what it saw, and no operation may start.
   */
  private volatile Optional<LeaseLostException> deposed = Optional.empty();

  /** {@code table} is restored already; {@code store} holds what it was restored from. */
  DurableTable(
      LockTable table, LockStore store, CommitDispatcher dispatcher, LockCounters counters) {
    this(
        table,
        store,
        dispatcher,
        counters,
        lost -> new LockTableException(ProblemType.NOT_LEADER, lost.getMessage()));
  }

  /**
   * As above, for the active server of a group: when a commit finds the lease taken over, {@code
   * leaseLost} steps the server down and gives the refusal its callers are answered.
   */
  DurableTable(
      LockTable table,
      LockStore store,
      CommitDispatcher dispatcher,
      LockCounters counters,
      Function<LeaseLostException, RuntimeException> leaseLost) {
    this.leaseLost = leaseLost;
    this.table = table;
    this.store = store;
    this.dispatcher = dispatcher;
    this.commits =
        new GroupCommit(
            batch -> {
              try {
                store.apply(batch);
              } catch (LeaseLostException lost) {
                deposed = Optional.of(lost);
                throw lost;
              }
              counters.committed(batch.size());
            },
            dispatcher::stored);
  }

  // ---------------------------------------------------------------- sessions

  OpenedSession openSession(String name, Duration ttl, Duration lockDelay) {
    return apply(() -> table.openSession(name, ttl, lockDelay));
  }

  /**
   * Reads expire what is due first, so that no reader sees a session gone while its locks still
   * look held, or a fencing token valid after its session's TTL; and they answer only once what
   * they saw is stored, so no answer shows a state that a crash could undo.
   */
  Optional<SessionSnapshot> session(String id) {
    return read(() -> table.session(id));
  }

  SessionPage sessions(String namePrefix, String after, int limit) {
    return read(() -> table.sessions(namePrefix, after, limit));
  }

  SessionSnapshot keepAlive(String sessionId, String bearer) {
    return apply(() -> table.keepAlive(sessionId, bearer));
  }

  void closeSession(String sessionId, String bearer) {
    apply(() -> table.closeSession(sessionId, bearer));
  }

  // ---------------------------------------------------------------- locks

  /**
   * Acquires or queues. When queued, {@code listener} is told how the wait ended; it is registered
   * before this returns, so no ending can slip past it. When the session already waited for the
   * lock, the older request's listener is refused, with this operation's batch.
   */
  AcquireResult acquire(
      String bearer,
      LockName name,
      LockMode mode,
      String owner,
      Duration wait,
      String request,
      WaitListener listener) {
    return apply(
        () -> {
          Outcome<AcquireResult> outcome = table.acquire(bearer, name, mode, owner, wait, request);
          if (outcome.result() instanceof AcquireResult.Queued queued) {
            dispatcher.listen(
                queued.waiterId(),
                listener,
                () ->
                    new WaitRefused(
                        queued.waiterId(),
                        ProblemType.CONFLICT,
                        "a newer request of the same session took over this place in line",
                        table.view(name)));
          }
          return outcome;
        });
  }

  Grant release(String bearer, LockName name) {
    return apply(() -> table.release(bearer, name));
  }

  void withdraw(String bearer, LockName name) {
    apply(() -> table.withdraw(bearer, name));
  }

  void cancelRequest(String bearer, LockName name, String request) {
    apply(() -> table.cancelRequest(bearer, name, request));
  }

  boolean cancelWait(long waiterId) {
    return apply(
        () -> {
          dispatcher.forget(waiterId);
          return table.cancelWait(waiterId);
        });
  }

  void expireDue() {
    read(() -> null);
  }

  // ---------------------------------------------------------------- reads

  LockView view(LockName name) {
    return read(() -> table.view(name));
  }

  LockList list(String prefix) {
    return read(() -> table.list(prefix));
  }

  LockList list(String prefix, boolean delayed) {
    return read(() -> table.list(prefix, delayed));
  }

  boolean fencingValid(LockName name, long token) {
    return read(() -> table.fencingValid(name, token));
  }

  LockStats stats() {
    int sessions;
    long holds;
    int waiters;
    lockTable();
    try {
      sessions = table.sessionCount();
      holds = table.holdCount();
      waiters = table.waiterCount();
    } finally {
      tableLock.unlock();
    }
    return dispatcher.stats(sessions, holds, waiters);
  }

  /**
   * Whether the table lock can be taken within {@code within}: false when an operation is stuck.
   */
  boolean tableAnswers(Duration within) {
    try {
      if (tableLock.tryLock(within.toMillis(), TimeUnit.MILLISECONDS)) {
        tableLock.unlock();
        return true;
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The server stepped down: from now on every operation is refused as a commit on another's lease
   * would be, before it touches the table or the store.
   */
  void depose() {
    if (deposed.isEmpty()) {
      deposed = Optional.of(LeaseLostException.steppedDown());
    }
  }

  /** Stores what is queued, then closes the store; no operation runs after. */
  void close() {
    tableLock.lock();
    try {
      commits.awaitSettled(commits.lastEnqueued());
      store.close();
    } finally {
      tableLock.unlock();
    }
  }

  // ---------------------------------------------------------------- internals

  /**
   * Applies an operation under the table lock, then answers once its changes, and everything it
   * saw, are stored; on its way out it tells the waiters that stored batches ended.
   */
  <T> T apply(Supplier<Outcome<T>> operation) {
    Optional<GroupCommit.Ticket> ticket;
    Outcome<T> outcome;
    long seen;
    refuseIfDeposed();
    lockTable();
    try {
      // Again under the table lock: a step-down may have come while this operation waited for it.
      refuseIfDeposed();
      queueExpiries();
      outcome = operation.get();
      ticket = queue(outcome.changes());
      seen = commits.lastEnqueued();
    } catch (RuntimeException refused) {
      settleAfterRefusal();
      throw refused;
    } finally {
      if (tableLock.isHeldByCurrentThread()) {
        tableLock.unlock();
      }
    }
    try {
      if (ticket.isPresent()) {
        await(ticket.get());
      } else {
        // Nothing changed, but what the operation saw may still be on its way to the store.
        commits.awaitSettled(seen);
      }
      refuseIfDeposed();
    } finally {
      dispatcher.tellWaiters();
    }
    return outcome.result();
  }

  private void refuseIfDeposed() {
    if (deposed.isPresent()) {
      throw leaseLost.apply(deposed.get());
    }
  }

  /** Reads under the table lock, then answers once everything the read saw is stored. */
  <T> T read(Supplier<T> reading) {
    return apply(() -> new Outcome<>(reading.get(), NO_CHANGES));
  }

  /**
   * A refused operation may have queued the expiries that ran before it: they are stored, and their
   * waiters told, before the refusal is answered, not only when the next caller comes.
   */
  private void settleAfterRefusal() {
    long seen = commits.lastEnqueued();
    tableLock.unlock();
    commits.awaitSettled(seen);
    dispatcher.tellWaiters();
  }

  private void lockTable() {
    try {
      if (!tableLock.tryLock(TABLE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new LockTableException(
            ProblemType.UNAVAILABLE, "the lock table stayed busy for " + TABLE_WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LockTableException(
          ProblemType.UNAVAILABLE, "interrupted waiting for the lock table");
    }
  }

  private void queueExpiries() {
    if (table.hasDue()) {
      queue(table.expireDue().changes());
    }
  }

  private Optional<GroupCommit.Ticket> queue(Changes changes) {
    return dispatcher.deliveryOf(changes).map(commits::enqueue);
  }

  private void await(GroupCommit.Ticket ticket) {
    try {
      commits.await(ticket);
    } catch (LeaseLostException lost) {
      // Rolled back, and so is every batch after it: this table is no longer the truth.
      throw leaseLost.apply(lost);
    } catch (RuntimeException e) {
      // The table already moved on; refusing to answer success is all that is left to do.
      LOG.log(Level.SEVERE, "could not store a change of the lock table", e);
      throw new LockTableException(
          ProblemType.UNAVAILABLE, "the change could not be stored: " + e.getMessage());
    }
  }
}
