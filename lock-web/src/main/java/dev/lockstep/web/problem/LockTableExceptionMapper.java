package dev.lockstep.web.problem;

import dev.lockstep.lock.NotLeaderException;
import dev.lockstep.lock.table.LockTableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A refused request: its problem type gives the status; conflicts list holders and waiters; a
 * not-leader answer names the active server and says when to try again.
 */
@Provider
public class LockTableExceptionMapper implements ExceptionMapper<LockTableException> {
  @Override
  public Response toResponse(LockTableException e) {
    Response problem = ProblemResponse.of(Problems.of(e));
    if (e instanceof NotLeaderException notLeader) {
      // Retry-After in whole seconds, at least one: the header allows no fraction.
      long seconds = Math.max(1, (notLeader.retryAfter().toMillis() + 999) / 1000);
      return Response.fromResponse(problem).header("Retry-After", seconds).build();
    }
    return problem;
  }
}
