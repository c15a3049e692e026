package dev.lockstep.web.batch;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.KeepAliveAnswer;
import dev.lockstep.api.Problem;
import dev.lockstep.lock.table.AcquireResult;
import dev.lockstep.lock.table.BatchOperation;
import dev.lockstep.lock.table.BatchOperation.Acquire;
import dev.lockstep.lock.table.BatchResult;
import dev.lockstep.lock.table.BatchResult.Acquired;
import dev.lockstep.lock.table.BatchResult.KeptAlive;
import dev.lockstep.lock.table.BatchResult.Refused;
import dev.lockstep.web.problem.Problems;

/**
 * One operation's result in a batch answer: the status its single call would have answered, with
 * that call's body in the field that names it; absent fields are left out of the JSON.
 */
public record OperationAnswer(
    int status, GrantView grant, Problem problem, QueuedView queued, KeepAliveAnswer session) {

  /** The answer to {@code result}, the result of {@code operation}. */
  public static OperationAnswer of(BatchOperation operation, BatchResult result) {
    if (result instanceof Acquired acquired) {
      AcquireResult acquire = acquired.result();
      if (acquire instanceof AcquireResult.Granted granted) {
        return new OperationAnswer(200, granted.grant().view(), null, null, null);
      }
      if (acquire instanceof AcquireResult.Queued queued && operation instanceof Acquire asked) {
        QueuedView view =
            new QueuedView(asked.name().value(), asked.requestId(), queued.position());
        return new OperationAnswer(202, null, null, view, null);
      }
      if (acquire instanceof AcquireResult.Conflict conflict) {
        return problem(Problems.conflict(conflict));
      }
    } else if (result instanceof KeptAlive kept) {
      KeepAliveAnswer session =
          new KeepAliveAnswer(kept.session().id(), kept.session().expiresAt());
      return new OperationAnswer(200, null, null, null, session);
    } else if (result instanceof Refused refused) {
      return problem(Problems.of(refused.refusal()));
    } else {
      return new OperationAnswer(204, null, null, null, null); // released, withdrawn, cancelled
    }
    throw new IllegalStateException("an acquire result of no known kind: " + result);
  }

  private static OperationAnswer problem(Problem problem) {
    return new OperationAnswer(problem.status(), null, problem, null, null);
  }
}
