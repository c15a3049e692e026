package dev.lockstep.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of the lock table. {@code revision} comes from the same server-wide counter as fencing
 * tokens; {@code lock}, {@code mode} and {@code fencingToken} are null where they do not apply (a
 * {@code session-expired} event names no lock). {@code owner}, an addition to the contract's
 * fields, is the grant's owner on {@code acquired} events, so that a watcher can keep a full copy
 * of a lock's holders.
 */
public record LockEvent(
    long revision,
    EventKind kind,
    String lock,
    String session,
    String mode,
    Long fencingToken,
    Instant at,
    String owner) {
  /** An event that names no owner: every kind but {@code acquired}. */
  public LockEvent(
      long revision,
      EventKind kind,
      String lock,
      String session,
      String mode,
      Long fencingToken,
      Instant at) {
    this(revision, kind, lock, session, mode, fencingToken, at, null);
  }

  public LockEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    if (revision <= 0) {
      throw new IllegalArgumentException("revision must be positive: " + revision);
    }
  }

  /**
   * The event's {@code data:} JSON, {@code
   * {"revision","lock","session","mode","fencingToken","at"}} with absent fields left out. Written
   * by hand because it is made once per event for every watcher: lock names, session ids and modes
   * cannot hold a character that JSON must escape; the owner, free text without control characters,
   * is escaped.
   */
  public String dataJson() {
    StringBuilder json = new StringBuilder(160).append("{\"revision\":").append(revision);
    if (lock != null) {
      json.append(",\"lock\":\"").append(lock).append('"');
    }
    if (session != null) {
      json.append(",\"session\":\"").append(session).append('"');
    }
    if (mode != null) {
      json.append(",\"mode\":\"").append(mode).append('"');
    }
    if (fencingToken != null) {
      json.append(",\"fencingToken\":").append(fencingToken);
    }
    if (owner != null) {
      json.append(",\"owner\":");
      appendQuoted(json, owner);
    }
    return json.append(",\"at\":\"").append(at).append("\"}").toString();
  }

  private static void appendQuoted(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\');
      }
      if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    json.append('"');
  }
}
