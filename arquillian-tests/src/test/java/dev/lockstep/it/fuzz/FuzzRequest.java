package dev.lockstep.it.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One generated request.
 *
 * @param path the request target exactly as sent: already percent-encoded, with its query
 * @param body the body bytes, null for none
 * @param raw sent over a plain socket (duplicate headers, raw bytes), else with java.net.http
 * @param mustNotSucceed by the contract this cannot be a 2xx (an invalid lock name, a bad token)
 */
public record FuzzRequest(
    String method,
    String path,
    List<Map.Entry<String, String>> headers,
    byte[] body,
    boolean raw,
    boolean mustNotSucceed) {

  public FuzzRequest {
    headers = List.copyOf(headers);
  }

  /** The same request over a plain socket, for bytes java.net.http will not send. */
  public FuzzRequest asRaw() {
    return new FuzzRequest(method, path, headers, body, true, mustNotSucceed);
  }

  public boolean isEventStream() {
    return path.startsWith("/api/v1/events");
  }

  /** Method, target, headers and the start of the body, for a failure message. */
  public String describe() {
    String shown =
        body == null
            ? ""
            : new String(body, 0, Math.min(body.length, 200), StandardCharsets.ISO_8859_1);
    String shownHeaders = headers.toString().replaceAll("\\p{Cntrl}", "?");
    return method
        + " "
        + path
        + " "
        + shownHeaders
        + (raw ? " (raw)" : "")
        + (body == null ? "" : " body(" + body.length + ")=" + shown.replaceAll("\\p{Cntrl}", "?"));
  }
}
