package dev.lockstep.web.request;

import dev.lockstep.api.Problem;
import dev.lockstep.api.ProblemType;
import dev.lockstep.web.problem.ProblemResponse;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Jersey's servlet parses Content-Type (to look for form bodies) before any JAX-RS filter or
 * exception mapper runs, and answers one it cannot parse with the container's HTML error page.
 * This servlet filter, in front of Jersey, refuses unparseable media-type headers with the
 * problem+json 400 that every other bad input gets.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class MediaTypeHeaderFilter extends HttpFilter {
  private static final Jsonb JSONB = JsonbBuilder.create();

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws IOException, ServletException {
    String contentType = request.getHeader("Content-Type");
    if (contentType != null && !parses(contentType)) {
      refuse(response, "Content-Type");
      return;
    }
    String accept = request.getHeader("Accept");
    if (accept != null) {
      for (String part : accept.split(",")) {
        if (!part.isBlank() && !parses(part.trim())) {
          refuse(response, "Accept");
          return;
        }
      }
    }
    chain.doFilter(request, response);
  }

  private static boolean parses(String value) {
    try {
      MediaType.valueOf(value);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void refuse(HttpServletResponse response, String header) throws IOException {
    Problem problem =
        Problem.of(ProblemType.BAD_REQUEST, "the " + header + " header is not a media type");
    byte[] body = JSONB.toJson(problem).getBytes(StandardCharsets.UTF_8);
    response.setStatus(problem.status());
    response.setContentType(ProblemResponse.MEDIA_TYPE);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
