package dev.lockstep.web.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.Problem;
import dev.lockstep.api.ProblemType;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Both ways out, a JAX-RS Response and a servlet filter's answer, send the same document. */
class ProblemResponseTest {
  private final Problem problem = Problem.of(ProblemType.BAD_REQUEST, "the path holds a ';'");

  @Test
  void of_isTheProblemAsProblemJsonWithItsStatus() {
    Response response = ProblemResponse.of(problem);

    assertEquals(400, response.getStatus());
    assertEquals("application/problem+json", response.getMediaType().toString());
    assertEquals(ProblemResponse.json(problem), response.getEntity());
  }

  @Test
  void json_holdsTypeTitleStatusAndDetail_andOmitsAbsentFields() {
    String json = ProblemResponse.json(problem);

    assertTrue(json.contains("\"type\":\"" + ProblemType.BAD_REQUEST.uri() + "\""), json);
    assertTrue(json.contains("\"title\":\"Bad request\""), json);
    assertTrue(json.contains("\"status\":400"), json);
    assertTrue(json.contains("\"detail\":\"the path holds a ';'\""), json);
    assertFalse(json.contains("holders"), json);
    assertFalse(json.contains("errorId"), json);
  }

  @Test
  void write_sendsTheSameDocumentAsOf() throws IOException {
    RecordedResponse recorded = new RecordedResponse();

    ProblemResponse.write(recorded.proxy(), problem);

    byte[] expected = ProblemResponse.json(problem).getBytes(StandardCharsets.UTF_8);
    assertEquals(400, recorded.calls.get("setStatus"));
    assertEquals("application/problem+json", recorded.calls.get("setContentType"));
    assertEquals(expected.length, recorded.calls.get("setContentLength"));
    assertEquals(ProblemResponse.json(problem), recorded.body.toString(StandardCharsets.UTF_8));
  }

  /** The few calls a filter's answer makes, recorded; any other call is a test failure. */
  private static final class RecordedResponse {
    final Map<String, Object> calls = new HashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    HttpServletResponse proxy() {
      ServletOutputStream out =
          new ServletOutputStream() {
            @Override
            public boolean isReady() {
              return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {}

            @Override
            public void write(int b) {
              body.write(b);
            }
          };
      return (HttpServletResponse)
          Proxy.newProxyInstance(
              HttpServletResponse.class.getClassLoader(),
              new Class<?>[] {HttpServletResponse.class},
              (self, method, args) -> {
                switch (method.getName()) {
                  case "setStatus", "setContentType", "setContentLength" -> {
                    calls.put(method.getName(), args[0]);
                    return null;
                  }
                  case "getOutputStream" -> {
                    return out;
                  }
                  default -> throw new AssertionError("unexpected call " + method);
                }
              });
    }
  }
}
