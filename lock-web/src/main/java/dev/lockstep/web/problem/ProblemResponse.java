package dev.lockstep.web.problem;

import dev.lockstep.api.Problem;
import dev.lockstep.web.json.ViewJson;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@code application/problem+json} answers; the one place that serializes a problem and sets
 * that media type. A JAX-RS answer is a {@link Response}; a servlet filter that refuses a request
 * before Jersey sees it writes the same bytes straight to the servlet response.
 */
public final class ProblemResponse {
  public static final String MEDIA_TYPE = "application/problem+json";

  // Serialized here rather than by a provider, so that the +json media type never depends on
  // which providers a container registers for it.

  private ProblemResponse() {}

  public static Response of(Problem problem) {
    return Response.status(problem.status()).type(MEDIA_TYPE).entity(json(problem)).build();
  }

  /** Answers a servlet request with {@code problem}; the response is complete afterwards. */
  public static void write(HttpServletResponse response, Problem problem) throws IOException {
    byte[] body = json(problem).getBytes(StandardCharsets.UTF_8);
    response.setStatus(problem.status());
    response.setContentType(MEDIA_TYPE);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** The problem document as sent. */
  static String json(Problem problem) {
    return ViewJson.toJson(problem);
  }
}
