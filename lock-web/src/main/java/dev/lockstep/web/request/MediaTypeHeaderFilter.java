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
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Jersey's servlet parses Content-Type (to look for form bodies) before any JAX-RS filter or
 * exception mapper runs, and answers one it cannot parse with the container's HTML error page. This
 * servlet filter, in front of Jersey, refuses unparseable media-type headers with the problem+json
 * 400 that every other bad input gets. Jersey refuses in the same way a second Content-Type header
 * and an Accept quality that is not a number from 0 to 1 with at most three decimals (RFC 9110
 * 12.4.2), so those are refused here too.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class MediaTypeHeaderFilter extends HttpFilter {
  private static final Pattern QUALITY = Pattern.compile("0(\\.\\d{0,3})?|1(\\.0{0,3})?");

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String contentType = request.getHeader("Content-Type");
    if (contentType != null && !parses(contentType)) {
      refuse(response, "the Content-Type header is not a media type");
      return;
    }
    if (Collections.list(request.getHeaders("Content-Type")).size() > 1) {
      refuse(response, "the Content-Type header is given more than once");
      return;
    }
    for (String accept : Collections.list(request.getHeaders("Accept"))) {
      for (String part : accept.split(",")) {
        if (!part.isBlank() && !acceptable(part.trim())) {
          refuse(response, "the Accept header is not a list of media types with qualities");
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

  private static boolean acceptable(String value) {
    try {
      Map<String, String> parameters = MediaType.valueOf(value).getParameters();
      return parameters.entrySet().stream()
          .filter(p -> p.getKey().equalsIgnoreCase("q"))
          .allMatch(p -> QUALITY.matcher(p.getValue()).matches());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void refuse(HttpServletResponse response, String detail) throws IOException {
    ProblemResponse.write(response, Problem.of(ProblemType.BAD_REQUEST, detail));
  }
}
