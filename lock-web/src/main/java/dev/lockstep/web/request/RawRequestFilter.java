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
import java.io.IOException;
import java.util.Optional;

/**
 * Refuses, as problems, the requests that Payara's web container would refuse itself with a bare
 * status and no body. The container lets them through only because {@code lockstep-preboot.txt} and
 * two JVM properties tell it to (README, "Rules worth knowing"): a body on a method that takes
 * none, {@code TRACE}, a path whose percent-escapes are not UTF-8 or that holds a backslash, and a
 * header value with a control character or a byte outside ASCII. Every path, not only the API: the
 * container's default servlet would echo a TRACE and serve a path with its backslashes turned into
 * slashes. What is refused is {@link RawRequest#refusal}'s to decide.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class RawRequestFilter extends HttpFilter {
  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Optional<Problem> refusal = RawRequest.of(request).refusal();
    if (refusal.isPresent()) {
      if (refusal.get().status() == ProblemType.METHOD_NOT_ALLOWED.status()) {
        response.setHeader("Allow", String.join(", ", RawRequest.ALLOWED_METHODS));
      }
      ProblemResponse.write(response, refusal.get());
      return;
    }
    chain.doFilter(request, response);
  }
}
