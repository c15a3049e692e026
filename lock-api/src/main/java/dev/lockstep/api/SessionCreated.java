package dev.lockstep.api;

import java.time.Instant;

/** Answer to {@code POST /api/v1/sessions}: the only time the secret {@code token} is shown. */
public record SessionCreated(
    String id,
    String token,
    String name,
    long ttlMillis,
    long lockDelayMillis,
    Instant expiresAt) {}
