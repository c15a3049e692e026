package dev.lockstep.web.request;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.LockTableException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a request's Content-Type and Accept may be: the 415 for a body that is not JSON, and the 400
 * for header syntax that Jersey would answer with an HTML page (README, "Rules worth knowing").
 */
class RequestMediaTypesTest {
  private static final List<String> NONE = List.of();

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(
      strings = {
        "application/json",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "APPLICATION/JSON",
        "Application/Json ; charset=utf-8",
        "application/json; charset=ISO-8859-1",
        "application/json; charset=nonsense",
        "application/problem+json",
        "application/merge-patch+json",
        "application/vnd.lockstep+json; version=1"
      })
  void requireJsonBody_whenOfAJsonType_accepts(String contentType) {
    assertTrue(RequestMediaTypes.isJson(contentType));
    assertDoesNotThrow(() -> RequestMediaTypes.requireJsonBody(contentType));
  }

  @Test
  void requireJsonBody_withoutContentType_takesTheBodyAsJson() {
    assertDoesNotThrow(() -> RequestMediaTypes.requireJsonBody(null));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(
      strings = {
        "text/plain",
        "application/xml",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=zz",
        "application/octet-stream",
        "text/json",
        "*/*",
        "application/*",
        "application/jsonp",
        "application/json+xml"
      })
  void requireJsonBody_whenNotAJsonType_isUnsupportedMediaType(String contentType) {
    assertFalse(RequestMediaTypes.isJson(contentType));
    LockTableException refused =
        assertThrows(
            LockTableException.class, () -> RequestMediaTypes.requireJsonBody(contentType));

    assertEquals(ProblemType.UNSUPPORTED_MEDIA_TYPE, refused.type());
    assertEquals(415, refused.type().status());
  }

  @Test
  void requireJsonBody_whenRefused_namesTheTypeWithoutItsParameters() {
    LockTableException refused =
        assertThrows(
            LockTableException.class,
            () -> RequestMediaTypes.requireJsonBody("Text/Plain; charset=utf-8"));

    assertEquals("request bodies are application/json, not text/plain", refused.getMessage());
  }

  @Test
  void requireJsonBody_whenRefusedTypeIsLong_shortensItInTheDetail() {
    String type = "application/" + "x".repeat(100);

    LockTableException refused =
        assertThrows(LockTableException.class, () -> RequestMediaTypes.requireJsonBody(type));

    assertEquals(
        "request bodies are application/json, not " + type.substring(0, 64) + "...",
        refused.getMessage());
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(
      strings = {
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "*/*",
        "multipart/form-data; boundary=zz"
      })
  void headerRefusal_withOneParseableContentType_isEmpty(String contentType) {
    assertEquals(Optional.empty(), RequestMediaTypes.headerRefusal(List.of(contentType), NONE));
  }

  @Test
  void headerRefusal_withoutHeaders_isEmpty() {
    assertEquals(Optional.empty(), RequestMediaTypes.headerRefusal(NONE, NONE));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"garbage", "application/json; charset=\""})
  void headerRefusal_withUnparseableContentType_saysItIsNoMediaType(String contentType) {
    assertEquals(
        Optional.of("the Content-Type header is not a media type"),
        RequestMediaTypes.headerRefusal(List.of(contentType), NONE));
  }

  @Test
  void headerRefusal_withSecondContentType_saysItIsGivenMoreThanOnce() {
    assertEquals(
        Optional.of("the Content-Type header is given more than once"),
        RequestMediaTypes.headerRefusal(List.of("application/json", "text/plain"), NONE));
    assertEquals(
        Optional.of("the Content-Type header is given more than once"),
        RequestMediaTypes.headerRefusal(List.of("application/json", "application/json"), NONE));
  }

  @Test
  void headerRefusal_withUnparseableFirstOfTwoContentTypes_saysItIsNoMediaType() {
    assertEquals(
        Optional.of("the Content-Type header is not a media type"),
        RequestMediaTypes.headerRefusal(List.of("garbage", "application/json"), NONE));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(
      strings = {
        "*/*",
        "application/json",
        "application/problem+json",
        "text/event-stream",
        "application/json;q=0",
        "application/json;q=1",
        "application/json;q=0.5",
        "application/json;q=0.125",
        "application/json;q=1.000",
        "application/json;Q=0.5",
        "text/html, application/json;q=0.1",
        "application/json, ",
        "application/json; charset=utf-8; q=0.9"
      })
  void headerRefusal_withAcceptOfMediaTypesAndQualities_isEmpty(String accept) {
    assertEquals(Optional.empty(), RequestMediaTypes.headerRefusal(NONE, List.of(accept)));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(
      strings = {
        "*/*;q=x",
        "application/json;q=1.5",
        "application/json;q=0.0001",
        "application/json;q=1.001",
        "application/json;q=-1",
        "application/json;q=",
        "application/json;Q=2",
        "text/html, application/json;q=x",
        "garbage"
      })
  void headerRefusal_withAcceptOutOfSyntax_saysSo(String accept) {
    assertEquals(
        Optional.of("the Accept header is not a list of media types with qualities"),
        RequestMediaTypes.headerRefusal(NONE, List.of(accept)));
  }

  @Test
  void headerRefusal_withBadQualityInASecondAcceptHeader_saysSo() {
    assertEquals(
        Optional.of("the Accept header is not a list of media types with qualities"),
        RequestMediaTypes.headerRefusal(NONE, List.of("application/json", "*/*;q=x")));
  }

  @Test
  void headerRefusal_withBadContentTypeAndBadAccept_namesTheContentTypeFirst() {
    assertEquals(
        Optional.of("the Content-Type header is not a media type"),
        RequestMediaTypes.headerRefusal(List.of("garbage"), List.of("*/*;q=x")));
  }
}
