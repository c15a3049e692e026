package dev.lockstep.it;

import static dev.lockstep.it.support.Problems.describe;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.support.Api;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Operations: MicroProfile Health and the published OpenAPI document. */
abstract class OperationsTests {
  /** The paths of shared/API.md, written as OpenAPI path templates. */
  private static final List<String> CONTRACT_PATHS =
      List.of(
          "/api/v1/sessions",
          "/api/v1/sessions/{id}",
          "/api/v1/sessions/{id}/keepalive",
          "/api/v1/locks",
          "/api/v1/locks/{name}",
          "/api/v1/locks/{name}/fencing/{token}");

  /** A key directly under {@code paths:} in YAML: two spaces, the path, maybe quoted, a colon. */
  private static final Pattern YAML_PATH_KEY = Pattern.compile("(?m)^  (['\"]?)(/\\S.*?)\\1:\\s*$");

  private final Api api = Api.ofServerUnderTest();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/health/ready", "/health/live"})
  void health_whenDeployed_isUp(String path) {
    HttpResponse<String> answer = api.get(path);

    assertEquals(200, answer.statusCode(), () -> describe(answer));
    assertEquals("UP", Api.json(answer).getString("status"));
  }

  /**
   * Without an Accept header MicroProfile OpenAPI answers YAML. (Payara Micro 6.2025.10 serves it
   * as text/plain and answers "Accept: application/yaml" with a 406 of its own, so that is not
   * asked here.)
   */
  @Test
  void openApi_byDefault_documentsEveryContractPathAsYaml() {
    HttpResponse<String> answer = api.get("/openapi");

    assertEquals(200, answer.statusCode(), () -> describe(answer));
    Set<String> documented = yamlPathKeys(answer.body());
    assertAll(
        "paths documented: " + documented,
        CONTRACT_PATHS.stream().map(path -> () -> assertTrue(documented.contains(path), path)));
  }

  @Test
  void openApi_asJson_documentsEveryContractPathWithItsMethods() {
    HttpResponse<String> answer =
        api.exchange(api.request("/openapi").header("Accept", "application/json").GET().build());

    assertEquals(200, answer.statusCode(), () -> describe(answer));
    JsonObject paths = Api.json(answer).getJsonObject("paths");
    assertAll(
        "paths documented: " + paths.keySet(),
        () -> assertEquals(Set.of("post", "get"), methods(paths, "/api/v1/sessions")),
        () -> assertEquals(Set.of("get", "delete"), methods(paths, "/api/v1/sessions/{id}")),
        () -> assertEquals(Set.of("post"), methods(paths, "/api/v1/sessions/{id}/keepalive")),
        () -> assertEquals(Set.of("get"), methods(paths, "/api/v1/locks")),
        () -> assertEquals(Set.of("get", "put", "delete"), methods(paths, "/api/v1/locks/{name}")),
        () -> assertEquals(Set.of("get"), methods(paths, "/api/v1/locks/{name}/fencing/{token}")));
  }

  private static Set<String> methods(JsonObject paths, String path) {
    JsonObject item = paths.getJsonObject(path);
    if (item == null) {
      return Set.of("(path not documented)");
    }
    return item.keySet().stream()
        .filter(k -> Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(k))
        .collect(Collectors.toSet());
  }

  private static Set<String> yamlPathKeys(String yaml) {
    Matcher keys = YAML_PATH_KEY.matcher(yaml);
    return keys.results().map(m -> m.group(2)).collect(Collectors.toSet());
  }
}
