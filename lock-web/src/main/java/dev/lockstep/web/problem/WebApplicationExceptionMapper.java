package dev.lockstep.web.problem;

import dev.lockstep.api.Problem;
import dev.lockstep.api.ProblemType;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Errors the JAX-RS runtime raises itself (no such path, wrong method, bad header) as problems. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
  @Override
  public Response toResponse(WebApplicationException e) {
    int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
    if (status >= 500) {
      return UnexpectedExceptionMapper.logged(e);
    }
    ProblemType type = ProblemType.forStatus(status);
    String detail = e.getMessage() == null ? type.title() : e.getMessage();
    Response problem = ProblemResponse.of(Problem.of(type, status, detail));
    if (status == 405 && e.getResponse().getHeaderString("Allow") != null) {
      return Response.fromResponse(problem)
          .header("Allow", e.getResponse().getHeaderString("Allow"))
          .build();
    }
    return problem;
  }
}
