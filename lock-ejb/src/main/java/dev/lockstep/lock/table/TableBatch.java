package dev.lockstep.lock.table;

import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.BatchOperation.Acquire;
import dev.lockstep.lock.table.BatchOperation.Cancel;
import dev.lockstep.lock.table.BatchOperation.KeepAlive;
import dev.lockstep.lock.table.BatchOperation.Release;
import dev.lockstep.lock.table.BatchOperation.Unreadable;
import dev.lockstep.lock.table.BatchOperation.Withdraw;
import dev.lockstep.lock.table.BatchResult.Acquired;
import dev.lockstep.lock.table.BatchResult.Done;
import dev.lockstep.lock.table.BatchResult.KeptAlive;
import dev.lockstep.lock.table.BatchResult.Refused;
import dev.lockstep.lock.table.BatchResult.Released;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of a batch: the operations of one authenticated session, applied one after another as
 * their single calls would be, each seeing what the ones before it did. One operation's refusal is
 * that operation's result and changes nothing; the others still apply. Every change goes to one
 * log, so that the batch is one outcome and its owner stores it in one commit.
 */
final class TableBatch {
  private final LockRequests requests;
  private final SessionRegistry sessions;
  private final TableState state;
  private final Clock clock;

  TableBatch(LockRequests requests, SessionRegistry sessions, TableState state, Clock clock) {
    this.requests = requests;
    this.sessions = sessions;
    this.state = state;
    this.clock = clock;
  }

  /** Refuses the whole batch, before anything changed, when it names another session. */
  Outcome<BatchAnswer> apply(Session session, BatchRequest batch) {
    for (String named : batch.sessionsNamed()) {
      if (!named.equals(session.id)) {
        throw new LockTableException(
            ProblemType.BAD_REQUEST,
            "every operation of a batch is of the token's session; one names another session");
      }
    }
    Changes.Log log = new Changes.Log();
    List<BatchResult> results = new ArrayList<>(batch.operations().size());
    for (BatchOperation operation : batch.operations()) {
      results.add(applyOne(session, operation, log));
    }
    return state.outcome(new BatchAnswer(session.id, results, state.revision()), log);
  }

  private BatchResult applyOne(Session session, BatchOperation operation, Changes.Log log) {
    try {
      if (operation instanceof Acquire a) {
        requests.checkAcquire(a.name(), a.mode(), a.owner(), a.waitFor(), a.requestId());
        if (!a.waitFor().isZero() && a.requestId() == null) {
          throw new LockTableException(
              ProblemType.BAD_REQUEST,
              "a batch acquire that may wait needs a requestId: the grant channel names its"
                  + " ending by it");
        }
        return new Acquired(
            requests.acquire(
                session, a.name(), a.mode(), a.owner(), a.waitFor(), a.requestId(), log));
      } else if (operation instanceof Release r) {
        return new Released(requests.release(session, r.name(), log));
      } else if (operation instanceof Withdraw w) {
        requests.withdraw(session, w.name(), log);
        return new Done();
      } else if (operation instanceof Cancel c) {
        LockRequests.checkCancel(c.requestId());
        requests.cancelRequest(session, c.name(), c.requestId(), log);
        return new Done();
      } else if (operation instanceof KeepAlive) {
        sessions.renew(session, clock.instant());
        return new KeptAlive(session.snapshot());
      } else if (operation instanceof Unreadable u) {
        return new Refused(u.problem());
      }
      throw new IllegalStateException("an operation of no known kind: " + operation);
    } catch (RuntimeException refused) {
      // The table's refusals are thrown before anything changed; the log holds only the others'.
      return new Refused(refused);
    }
  }
}
