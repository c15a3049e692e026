package dev.lockstep.it.support;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpResponse;

/** What every error answer must be by shared/API.md: an RFC 9457 problem document. */
public final class Problems {
  public static final String MEDIA_TYPE = "application/problem+json";

  private Problems() {}

  /**
   * Asserts that {@code answer} is a problem with exactly {@code status}, served as
   * application/problem+json, with a non-blank type, title and detail and the same status in the
   * body. Returns the body for further assertions.
   */
  public static JsonObject assertProblem(int status, HttpResponse<String> answer) {
    assertEquals(status, answer.statusCode(), () -> "status of " + describe(answer));
    String contentType = answer.headers().firstValue("Content-Type").orElse("(none)");
    assertTrue(
        contentType.startsWith(MEDIA_TYPE),
        () -> "Content-Type " + contentType + " of " + describe(answer));
    JsonObject json = Api.json(answer);
    assertAll(
        "problem fields of " + describe(answer),
        () -> assertNonBlankString(json, "type"),
        () -> assertNonBlankString(json, "title"),
        () -> assertNonBlankString(json, "detail"),
        () -> assertEquals(status, json.getInt("status", -1), "status field"));
    return json;
  }

  /**
   * As {@link #assertProblem(int, HttpResponse)}, for an answer read over a plain socket; also
   * asserts the problem's {@code type}, {@code https://lockstep.dev/problems/} and {@code slug}.
   */
  public static JsonObject assertProblem(int status, String slug, RawHttpConnection.Answer answer) {
    assertEquals(status, answer.status(), answer::toString);
    String contentType = answer.headers().getOrDefault("content-type", "(none)");
    assertTrue(contentType.startsWith(MEDIA_TYPE), () -> "Content-Type of " + answer);
    JsonObject json;
    try (var reader = Json.createReader(new StringReader(answer.body()))) {
      json = reader.readObject();
    }
    assertAll(
        "problem fields of " + answer,
        () -> assertEquals("https://lockstep.dev/problems/" + slug, json.getString("type", "")),
        () -> assertNonBlankString(json, "title"),
        () -> assertNonBlankString(json, "detail"),
        () -> assertEquals(status, json.getInt("status", -1), "status field"));
    return json;
  }

  /** Method, URI, status and the start of the body: enough to see what went wrong. */
  public static String describe(HttpResponse<String> answer) {
    String body = answer.body() == null ? "" : answer.body();
    if (body.length() > 500) {
      body = body.substring(0, 500) + "...";
    }
    return answer.request().method()
        + " "
        + answer.request().uri()
        + " -> "
        + answer.statusCode()
        + " "
        + body;
  }

  private static void assertNonBlankString(JsonObject json, String field) {
    JsonValue value = json.get(field);
    assertTrue(
        value != null && value.getValueType() == JsonValue.ValueType.STRING,
        () -> "'" + field + "' is a string in " + json);
    assertFalse(json.getString(field).isBlank(), () -> "'" + field + "' is blank in " + json);
  }
}
