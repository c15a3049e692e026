package dev.lockstep.web.problem;

import dev.lockstep.api.Problem;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.NotLeaderException;
import dev.lockstep.lock.table.AcquireResult.Conflict;
import dev.lockstep.lock.table.LockTableException;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;

/**
 * The problem documents of the lock service's refusals, built in one place: the single calls'
 * answers (through the exception mappers and the acquire) and the per-operation problems of a batch
 * and of the grant channel are the same documents.
 */
public final class Problems {
  private Problems() {}

  /** A refusal: its type gives the status; conflicts list holders and waiters. */
  public static Problem of(LockTableException e) {
    if (e instanceof NotLeaderException notLeader) {
      return Problem.notLeader(e.getMessage(), notLeader.leader());
    }
    if (e.cycle().isPresent() && e.view().isPresent()) {
      return Problem.deadlock(e.getMessage(), e.view().get(), e.cycle().get());
    }
    return e.view()
        .map(view -> Problem.conflict(e.type(), e.getMessage(), view))
        .orElseGet(() -> Problem.of(e.type(), e.getMessage()));
  }

  /** A refusal as {@link #of(LockTableException)}; anything else is logged under an id. */
  public static Problem of(RuntimeException e) {
    return e instanceof LockTableException refusal
        ? of(refusal)
        : UnexpectedExceptionMapper.loggedProblem(e);
  }

  /** An acquire not granted at once and not queued. */
  public static Problem conflict(Conflict conflict) {
    return Problem.conflict(ProblemType.CONFLICT, conflict.reason(), conflict.view());
  }

  /** A wait that ended without a grant. */
  public static Problem refused(WaitRefused refusal) {
    return Problem.conflict(refusal.type(), refusal.reason(), refusal.view());
  }
}
