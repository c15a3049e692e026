package dev.lockstep.web.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.LockTableException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a body's media type meets the rest of the body rules, in the order they are applied. */
class JsonBodyTest {
  private static final Set<String> FIELDS = Set.of("mode");

  private static InputStream body(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void read_ofJsonWithCharset_isTheObject() {
    JsonBody read =
        JsonBody.read(body("{\"mode\":\"shared\"}"), "application/json; charset=utf-8", FIELDS);

    assertEquals(Optional.of("shared"), read.text("mode"));
  }

  @Test
  void read_ofEmptyBody_isAnEmptyObjectWhateverItsType() {
    JsonBody read = JsonBody.read(body(""), "text/plain", FIELDS);

    assertEquals(Optional.empty(), read.text("mode"));
  }

  @Test
  void read_ofBodyOfAnotherType_isUnsupportedMediaType() {
    LockTableException refused =
        assertThrows(
            LockTableException.class,
            () -> JsonBody.read(body("{\"mode\":\"shared\"}"), "text/plain", FIELDS));

    assertEquals(ProblemType.UNSUPPORTED_MEDIA_TYPE, refused.type());
  }

  @Test
  void read_ofBodyOfAnotherTypeOverTheLimit_isTooLargeFirst() {
    String large = "{\"mode\":\"" + "x".repeat(JsonBody.MAX_BYTES) + "\"}";

    LockTableException refused =
        assertThrows(
            LockTableException.class, () -> JsonBody.read(body(large), "text/plain", FIELDS));

    assertEquals(ProblemType.PAYLOAD_TOO_LARGE, refused.type());
  }

  @Test
  void read_ofInvalidJsonOfAnotherType_isUnsupportedMediaTypeFirst() {
    LockTableException refused =
        assertThrows(
            LockTableException.class, () -> JsonBody.read(body("not json"), "text/plain", FIELDS));

    assertEquals(ProblemType.UNSUPPORTED_MEDIA_TYPE, refused.type());
  }

  @Test
  void parseDuration_withANegativePart_isBadRequest() {
    for (String text : new String[] {"PT1M-1S", "-PT1S", "PT-0S", "P-0D"}) {
      LockTableException refused =
          assertThrows(LockTableException.class, () -> JsonBody.parseDuration("wait", text), text);

      assertEquals(ProblemType.BAD_REQUEST, refused.type(), text);
    }
  }

  @Test
  void parseDuration_ofAPlainDuration_isIt() {
    assertEquals(Duration.ofSeconds(61), JsonBody.parseDuration("wait", "PT1M1S"));
  }
}
