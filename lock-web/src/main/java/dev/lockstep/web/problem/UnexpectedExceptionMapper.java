package dev.lockstep.web.problem;

import dev.lockstep.api.Problem;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.LockTableException;
import jakarta.ejb.EJBException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whatever escapes everything else. An EJB may wrap a refusal in an EJBException: unwrap it and
 * answer the refusal. A true surprise is logged under an id that the answer names, so that a report
 * of the id finds the stack trace.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

  @Override
  public Response toResponse(Throwable e) {
    Throwable cause = e;
    while (cause instanceof EJBException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof LockTableException refusal) {
      return new LockTableExceptionMapper().toResponse(refusal);
    }
    if (cause instanceof WebApplicationException web) {
      return new WebApplicationExceptionMapper().toResponse(web);
    }
    return logged(cause);
  }

  static Response logged(Throwable e) {
    return ProblemResponse.of(loggedProblem(e));
  }

  /** Logs {@code e} under a new id and gives the 500 problem that names it. */
  static Problem loggedProblem(Throwable e) {
    String id = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "unexpected error " + id, e);
    return Problem.of(ProblemType.INTERNAL, "unexpected error; the server log names it " + id)
        .withErrorId(id);
  }
}
