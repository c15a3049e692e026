package dev.lockstep.web.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.Problem;
import dev.lockstep.api.ProblemType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RawRequestTest {
  private static final String LOCK = "/api/v1/locks/jobs/nightly";

  private static RawRequest request(String method, String path, boolean body) {
    return new RawRequest(method, path, body, List.of(Map.entry("Host", "localhost")));
  }

  private static Problem refused(RawRequest request) {
    return request.refusal().orElseThrow(() -> new AssertionError("not refused: " + request));
  }

  @ParameterizedTest(name = "{0} {1} body={2}")
  @CsvSource({
    "GET, /api/v1/locks/jobs/nightly, false",
    "PUT, /api/v1/locks/jobs/nightly, true",
    "POST, /api/v1/sessions, true",
    "DELETE, /api/v1/locks/a%3Ab, false",
    "GET, /api/v1/locks/%C3%A9, false",
    "GET, /, false",
    "GET, /api/v1/locks/a%ZZ, false"
  })
  void refusal_ofAnOrdinaryRequest_isEmpty(String method, String path, boolean body) {
    assertEquals(Optional.empty(), request(method, path, body).refusal());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"GET", "DELETE", "HEAD", "OPTIONS", "get"})
  void refusal_ofABodyOnAMethodWithoutOne_isBadRequest(String method) {
    Problem problem = refused(request(method, LOCK, true));

    assertEquals(ProblemType.BAD_REQUEST.uri().toString(), problem.type());
    assertTrue(problem.detail().contains("carries no body"), problem.detail());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TRACE", "trace"})
  void refusal_ofTrace_isMethodNotAllowed(String method) {
    Problem problem = refused(request(method, LOCK, false));

    assertEquals(405, problem.status());
    assertEquals(ProblemType.METHOD_NOT_ALLOWED.uri().toString(), problem.type());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/api/v1/locks/a%FF", "/api/v1/locks/a%C0%AFb", "/api/v1/locks/%e2%82"})
  void refusal_ofEscapesThatAreNotUtf8_isBadRequest(String path) {
    Problem problem = refused(request("GET", path, false));

    assertEquals(400, problem.status());
    assertTrue(problem.detail().contains("not UTF-8"), problem.detail());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/api/v1/locks/a\\b", "/api/v1/locks/a%5Cb", "/api/v1/locks/a%5cb"})
  void refusal_ofABackslash_isBadRequest(String path) {
    Problem problem = refused(request("PUT", path, false));

    assertEquals(400, problem.status());
    assertTrue(problem.detail().contains("backslash"), problem.detail());
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"a\u0001b", "a\u007fb", "a\u00e9b", "a\rb", "a\u0000"})
  void refusal_ofAHeaderWithAControlOrNonAsciiCharacter_isBadRequestNamingIt(String value) {
    RawRequest request = new RawRequest("GET", LOCK, false, List.of(Map.entry("X-Trace", value)));

    Problem problem = refused(request);

    assertEquals(400, problem.status());
    assertTrue(problem.detail().contains("X-Trace"), problem.detail());
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"a\tb", "Bearer x.y", "", "~!*"})
  void refusal_ofAHeaderOfVisibleAsciiSpaceAndTab_isEmpty(String value) {
    RawRequest request = new RawRequest("GET", LOCK, false, List.of(Map.entry("X-Trace", value)));

    assertEquals(Optional.empty(), request.refusal());
  }
}
