package dev.lockstep.it.fuzz;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One generated request.
 *
 * @param path the request target exactly as sent: already percent-encoded, with its query
 * @param body the body bytes, null for none
 * @param raw sent over a plain socket (duplicate headers, raw bytes), else with java.net.http
 * @param mustNotSucceed by the contract this cannot be a 2xx (an invalid lock name, a bad token)
 * @param aim the endpoint it is aimed at, with what its answer is judged by
 */
public record FuzzRequest(
    String method,
    String path,
    List<Map.Entry<String, String>> headers,
    byte[] body,
    boolean raw,
    boolean mustNotSucceed,
    Aim aim) {
  /** How long any answer may take: the fuzzer's waits are all much shorter. */
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(15);

  /** How far past its wait a grant poll may be answered on a loaded machine. */
  private static final Duration POLL_SLACK = Duration.ofSeconds(5);

  public FuzzRequest {
    headers = List.copyOf(headers);
  }

  /** The same request over a plain socket, for bytes java.net.http will not send. */
  public FuzzRequest asRaw() {
    return new FuzzRequest(method, path, headers, body, true, mustNotSucceed, aim);
  }

  public FuzzRequest aimedAt(Aim other) {
    return new FuzzRequest(method, path, headers, body, raw, mustNotSucceed, other);
  }

  /**
   * When the sender gives up and the judge calls it a hang: a grant poll must end by its wait (a
   * poll left waiting past it would hold the run), anything else within 15 s.
   */
  public Duration answerWithin() {
    return aim instanceof Aim.GrantPoll poll ? poll.mayWait().plus(POLL_SLACK) : ANSWER_WITHIN;
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
