package dev.lockstep.web.problem;

import dev.lockstep.api.Problem;
import dev.lockstep.api.ProblemType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The WAR's error page (WEB-INF/web.xml maps every status to it): an error the web container
 * answers itself inside the servlet pipeline, such as a 404 of the default servlet for a path
 * outside the API or a 405 for a method it does not serve, is a problem like every other, not the
 * container's HTML page. Reached directly, it is simply not found.
 */
@WebServlet(urlPatterns = ErrorPageServlet.PATH)
public class ErrorPageServlet extends HttpServlet {
  static final String PATH = "/error-page";

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer c && c >= 400 ? c : 404;
    if (status >= 500) {
      Object thrown = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
      ProblemResponse.write(
          response,
          UnexpectedExceptionMapper.loggedProblem(
              thrown instanceof Throwable t ? t : new IllegalStateException("status " + status)));
      return;
    }
    ProblemType type = ProblemType.forStatus(status);
    ProblemResponse.write(
        response,
        Problem.of(
            type,
            status,
            "the web container answered "
                + status
                + " to "
                + request.getMethod()
                + " "
                + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)));
  }
}
