package dev.lockstep.api;

import java.time.Instant;
import java.util.List;

/** Answer to {@code GET /api/v1/sessions/{id}}; never carries the token. */
public record SessionView(
    String id,
    String name,
    long ttlMillis,
    long lockDelayMillis,
    Instant expiresAt,
    List<String> locks) {
  public SessionView {
    locks = List.copyOf(locks);
  }
}
