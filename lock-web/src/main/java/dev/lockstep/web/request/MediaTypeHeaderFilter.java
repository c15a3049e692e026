package dev.lockstep.web.request;

import dev.lockstep.api.Problem;
import dev.lockstep.api.ProblemType;
import dev.lockstep.web.problem.ProblemResponse;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.util.Collections;
import java.util.Optional;

/**
 * In front of Jersey, which answers a media-type header it cannot take with the container's HTML
 * error page before any JAX-RS filter or exception mapper runs: such a request gets the
 * problem+json 400 that every other bad input gets. What is refused is {@link
 * RequestMediaTypes#headerRefusal}'s to decide.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class MediaTypeHeaderFilter extends HttpFilter {
  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Optional<String> refusal =
        RequestMediaTypes.headerRefusal(
            Collections.list(request.getHeaders(HttpHeaders.CONTENT_TYPE)),
            Collections.list(request.getHeaders(HttpHeaders.ACCEPT)));
    if (refusal.isPresent()) {
      ProblemResponse.write(response, Problem.of(ProblemType.BAD_REQUEST, refusal.get()));
      return;
    }
    chain.doFilter(request, response);
  }
}
