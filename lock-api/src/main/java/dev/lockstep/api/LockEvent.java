package dev.lockstep.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of the lock table. {@code revision} comes from the same server-wide counter as
 * fencing tokens; {@code lock}, {@code mode} and {@code fencingToken} are null where they do
 * not apply (a {@code session-expired} event names no lock).
 */
public record LockEvent(
    long revision,
    EventKind kind,
    String lock,
    String session,
    String mode,
    Long fencingToken,
    Instant at) {
  public LockEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    if (revision <= 0) {
      throw new IllegalArgumentException("revision must be positive: " + revision);
    }
  }
}
