package dev.lockstep.web.request;

import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.LockTableException;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request's JSON object, read strictly: at most the body limit, valid UTF-8, one object, only the
 * fields the call knows, each of the right type. Any other body is a 400 (413 when too large, 415
 * when {@link RequestMediaTypes} finds its type is not JSON) before anything changes. An empty body
 * is an empty object: every field is optional.
 */
public final class JsonBody {
  /** The body limit of shared/API.md. */
  public static final int MAX_BYTES = 64 * 1024;

  /**
   * One factory for every request: {@code Json.createParser} looks its provider up on the class
   * path each time, which was a tenth of a request's CPU time under load (JFR).
   */
  private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

  private final JsonObject json;

  private JsonBody(JsonObject json) {
    this.json = json;
  }

  public static JsonBody read(InputStream in, String contentType, Set<String> knownFields) {
    byte[] bytes = readBounded(in);
    if (bytes.length == 0) {
      return new JsonBody(JsonValue.EMPTY_JSON_OBJECT);
    }
    RequestMediaTypes.requireJsonBody(contentType);
    String text = utf8(bytes);
    return of("body", parseSingleValue(text), knownFields);
  }

  /**
   * A JSON object inside a body (one operation of a batch), read as strictly as a body: {@code
   * what} names it in the refusal when it is not an object or has a field the call does not know.
   */
  public static JsonBody of(String what, JsonValue value, Set<String> knownFields) {
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw bad(what + " must be a JSON object, not " + value.getValueType().name().toLowerCase());
    }
    JsonObject object = value.asJsonObject();
    for (String field : object.keySet()) {
      if (!knownFields.contains(field)) {
        throw bad("unknown field '" + shorten(field) + "'; this call knows " + knownFields);
      }
    }
    return new JsonBody(object);
  }

  /** The array in {@code field}; empty when there is none. */
  public Optional<List<JsonValue>> array(String field) {
    JsonValue value = json.get(field);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return Optional.empty();
    }
    if (value instanceof JsonArray array) {
      return Optional.of(array);
    }
    throw bad("field '" + field + "' must be an array");
  }

  /**
   * Exactly one JSON value and nothing after it: JsonReader.readValue() stops after the first value
   * and would let {@code {"mode":"shared"} {"mode":"exclusive"}} through. The parser's own limits
   * (nesting depth) surface as plain RuntimeExceptions: all of them are a 400.
   */
  private static JsonValue parseSingleValue(String text) {
    try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
      if (!parser.hasNext()) {
        throw bad("body is not valid JSON: no value");
      }
      parser.next();
      JsonValue value = parser.getValue();
      if (parser.hasNext()) {
        throw bad("body has content after its JSON value");
      }
      return value;
    } catch (LockTableException e) {
      throw e;
    } catch (JsonParsingException e) {
      throw bad("body is not valid JSON: " + e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      throw bad("body is not valid JSON" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  public Optional<String> text(String field) {
    JsonValue value = json.get(field);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return Optional.empty();
    }
    if (value instanceof JsonString s) {
      return Optional.of(s.getString());
    }
    throw bad("field '" + field + "' must be a string");
  }

  /**
   * A duration given as an ISO-8601 string in {@code field} or as integer milliseconds in {@code
   * fieldMillis}; not both.
   */
  public Optional<Duration> duration(String field) {
    String millisField = field + "Millis";
    Optional<String> iso = text(field);
    JsonValue millis = json.get(millisField);
    boolean hasMillis = millis != null && millis.getValueType() != JsonValue.ValueType.NULL;
    if (iso.isPresent() && hasMillis) {
      throw bad("give '" + field + "' or '" + millisField + "', not both");
    }
    if (hasMillis) {
      if (!(millis instanceof JsonNumber n) || !n.isIntegral()) {
        throw bad("field '" + millisField + "' must be an integer number of milliseconds");
      }
      try {
        long value = n.longValueExact();
        if (value < 0) {
          throw bad("field '" + millisField + "' must not be negative");
        }
        return Optional.of(Duration.ofMillis(value));
      } catch (ArithmeticException e) {
        throw bad("field '" + millisField + "' is out of range");
      }
    }
    return iso.map(text -> parseDuration(field, text));
  }

  public static Duration parseDuration(String field, String text) {
    Duration duration;
    try {
      duration = Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw bad(
          "field '"
              + field
              + "' must be an ISO-8601 duration such as \"PT10S\", not \""
              + shorten(text)
              + "\"");
    }
    // ISO-8601 has no signed parts; java.time reads "PT1M-1S" as 59 s, which nobody means.
    if (duration.isNegative() || text.indexOf('-') >= 0) {
      throw bad("field '" + field + "' must not be negative, nor have a negative part");
    }
    return duration;
  }

  private static byte[] readBounded(InputStream in) {
    if (in == null) {
      return new byte[0];
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) != -1) {
        out.write(buffer, 0, n);
        if (out.size() > MAX_BYTES) {
          throw new LockTableException(
              ProblemType.PAYLOAD_TOO_LARGE, "request body is larger than " + MAX_BYTES + " bytes");
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw bad("could not read the request body: " + e.getMessage());
    }
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw bad("body is not valid UTF-8");
    }
  }

  private static String shorten(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }

  private static LockTableException bad(String detail) {
    return new LockTableException(ProblemType.BAD_REQUEST, detail);
  }
}
