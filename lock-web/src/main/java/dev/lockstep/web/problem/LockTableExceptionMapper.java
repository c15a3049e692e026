package dev.lockstep.web.problem;

import dev.lockstep.api.Problem;
import dev.lockstep.lock.table.LockTableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A refused request: its problem type gives the status; conflicts list holders and waiters. */
@Provider
public class LockTableExceptionMapper implements ExceptionMapper<LockTableException> {
  @Override
  public Response toResponse(LockTableException e) {
    if (e.cycle().isPresent() && e.view().isPresent()) {
      return ProblemResponse.of(Problem.deadlock(e.getMessage(), e.view().get(), e.cycle().get()));
    }
    return ProblemResponse.of(
        e.view()
            .map(view -> Problem.conflict(e.type(), e.getMessage(), view))
            .orElseGet(() -> Problem.of(e.type(), e.getMessage())));
  }
}
