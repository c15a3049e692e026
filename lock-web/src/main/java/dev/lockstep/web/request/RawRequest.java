package dev.lockstep.web.request;

import dev.lockstep.api.Problem;
import dev.lockstep.api.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What of a request the web container judges before the application, as the application sees it:
 * the method, the request target as sent (still percent-encoded), whether a body follows, and the
 * header values. {@link #refusal} says what is wrong with it, as the problem to answer.
 *
 * @param rawPath the path as sent, undecoded ({@code HttpServletRequest#getRequestURI}); the
 *     container hands on raw bytes of the request line as ISO-8859-1 characters
 * @param headers every header value, by name, in the order sent
 */
public record RawRequest(
    String method, String rawPath, boolean hasBody, List<Map.Entry<String, String>> headers) {
  /** The methods the API and the dashboard answer; TRACE is not one (it echoes the request). */
  public static final Set<String> ALLOWED_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS");

  /** Methods whose requests carry no body in shared/API.md; Grizzly refuses one by default. */
  private static final Set<String> WITHOUT_BODY = Set.of("GET", "HEAD", "DELETE", "OPTIONS");

  public RawRequest {
    headers = List.copyOf(headers);
  }

  public static RawRequest of(HttpServletRequest request) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      for (String value : Collections.list(request.getHeaders(name))) {
        headers.add(Map.entry(name, value));
      }
    }
    boolean hasBody =
        request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    return new RawRequest(request.getMethod(), request.getRequestURI(), hasBody, headers);
  }

  /** The problem this request is, if the container's own checks would have refused it. */
  public Optional<Problem> refusal() {
    String upper = method.toUpperCase(Locale.ROOT);
    if (upper.equals("TRACE")) {
      return problem(ProblemType.METHOD_NOT_ALLOWED, "TRACE is not answered (it would echo)");
    }
    if (hasBody && WITHOUT_BODY.contains(upper)) {
      return problem(ProblemType.BAD_REQUEST, "a " + upper + " request carries no body");
    }
    if (rawPath.indexOf('\\') >= 0 || rawPath.toUpperCase(Locale.ROOT).contains("%5C")) {
      return problem(ProblemType.BAD_REQUEST, "the path holds a backslash");
    }
    if (!decodesAsUtf8(rawPath)) {
      return problem(
          ProblemType.BAD_REQUEST, "the path's percent-escapes are not UTF-8 (RFC 3986 2.5)");
    }
    for (Map.Entry<String, String> header : headers) {
      if (!header.getValue().chars().allMatch(RawRequest::fieldValueCharacter)) {
        return problem(
            ProblemType.BAD_REQUEST,
            "the "
                + header.getKey()
                + " header holds a control character or a byte outside ASCII (RFC 9110 5.5)");
      }
    }
    return Optional.empty();
  }

  /** A visible ASCII character, space or tab: what a field value of the API may hold. */
  private static boolean fieldValueCharacter(int c) {
    return c == '\t' || (c >= 0x20 && c < 0x7f);
  }

  /**
   * Whether the path's bytes, with each {@code %XX} as its byte, are UTF-8. A malformed escape is
   * left to whoever reads the path (the container answers it before this filter runs).
   */
  static boolean decodesAsUtf8(String rawPath) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < rawPath.length(); i++) {
      char c = rawPath.charAt(i);
      if (c == '%' && hex(rawPath, i + 1)) {
        bytes.write(HexFormat.fromHexDigits(rawPath, i + 1, i + 3));
        i += 2;
      } else if (c < 0x100) {
        bytes.write(c);
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static boolean hex(String s, int at) {
    return at + 2 <= s.length()
        && HexFormat.isHexDigit(s.charAt(at))
        && HexFormat.isHexDigit(s.charAt(at + 1));
  }

  private static Optional<Problem> problem(ProblemType type, String detail) {
    return Optional.of(Problem.of(type, detail));
  }
}
