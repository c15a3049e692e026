package dev.lockstep.api;

import java.net.URI;

/** The kinds of RFC 9457 problem the server answers, each with its one HTTP status. */
public enum ProblemType {
  BAD_REQUEST("bad-request", "Bad request", 400),
  UNAUTHORIZED("unauthorized", "Missing, malformed or unknown session token", 401),
  FORBIDDEN("forbidden", "The token belongs to another session", 403),
  NOT_FOUND("not-found", "Not found", 404),
  METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
  NOT_ACCEPTABLE("not-acceptable", "Not acceptable", 406),
  CONFLICT("conflict", "Lock not granted", 409),
  NOT_HELD("not-held", "This session does not hold the lock", 409),
  DEADLOCK("deadlock", "Waiting would close a deadlock cycle", 409),
  PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large", 413),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
  TOO_MANY("too-many", "A server limit was reached", 429),
  UNAVAILABLE("unavailable", "Service unavailable", 503),
  /** A standby, or an active that lost its lease: {@code leader} names the active when known. */
  NOT_LEADER("not-leader", "This server is not the active one", 503),
  INTERNAL("internal", "Internal error", 500);

  /** Base of every problem {@code type}; the slug follows it. */
  public static final String BASE = "https://lockstep.dev/problems/";

  private final String slug;
  private final String title;
  private final int status;

  ProblemType(String slug, String title, int status) {
    this.slug = slug;
    this.title = title;
    this.status = status;
  }

  public URI uri() {
    return URI.create(BASE + slug);
  }

  public String title() {
    return title;
  }

  public int status() {
    return status;
  }

  /** The type that answers a bare HTTP status, for errors raised by the container itself. */
  public static ProblemType forStatus(int status) {
    for (ProblemType type : values()) {
      if (type.status == status && type != NOT_HELD && type != DEADLOCK && type != NOT_LEADER) {
        return type;
      }
    }
    return status >= 500 ? INTERNAL : BAD_REQUEST;
  }
}
