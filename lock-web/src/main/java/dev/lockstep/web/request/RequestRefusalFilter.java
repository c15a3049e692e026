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
 * Refuses, as problems, the requests that would otherwise be answered without one, in one filter
 * (each filter is a step of every request; three of them were measured, README "What profiling
 * changed"):
 *
 * <ul>
 *   <li>every path: what Payara's web container would refuse itself with a bare status and no body.
 *       The container lets them through only because {@code lockstep-preboot.txt} and two JVM
 *       properties tell it to (README, "Rules worth knowing"): a body on a method that takes none,
 *       {@code TRACE}, a path whose percent-escapes are not UTF-8 or that holds a backslash, and a
 *       header value with a control character or a byte outside ASCII. Every path, not only the
 *       API: the container's default servlet would echo a TRACE and serve a path with its
 *       backslashes turned into slashes. {@link RawRequest#refusal} decides.
 *   <li>the API: a path with path parameters ({@link PathParameters}), and media-type headers that
 *       Jersey would answer with the container's HTML error page before any JAX-RS filter or
 *       exception mapper runs ({@link RequestMediaTypes#headerRefusal} decides).
 * </ul>
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class RequestRefusalFilter extends HttpFilter {
  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Optional<Problem> refusal = RawRequest.of(request).refusal();
    if (refusal.isEmpty() && isApi(request)) {
      refusal = PathParameters.refusal(request.getRequestURI()).or(() -> mediaTypes(request));
    }
    if (refusal.isPresent()) {
      if (refusal.get().status() == ProblemType.METHOD_NOT_ALLOWED.status()) {
        response.setHeader("Allow", String.join(", ", RawRequest.ALLOWED_METHODS));
      }
      ProblemResponse.write(response, refusal.get());
      return;
    }
    chain.doFilter(request, response);
  }

  /**
   * Whether the request is for {@code /api/*}, judged on the path as the container decoded and
   * normalized it, as that url-pattern was.
   */
  private static boolean isApi(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String path = request.getPathInfo() == null ? servletPath : servletPath + request.getPathInfo();
    return path.equals("/api") || path.startsWith("/api/");
  }

  private static Optional<Problem> mediaTypes(HttpServletRequest request) {
    return RequestMediaTypes.headerRefusal(
            Collections.list(request.getHeaders(HttpHeaders.CONTENT_TYPE)),
            Collections.list(request.getHeaders(HttpHeaders.ACCEPT)))
        .map(detail -> Problem.of(ProblemType.BAD_REQUEST, detail));
  }
}
