package dev.lockstep.api;

import java.time.Instant;

/** Answer to {@code POST /api/v1/sessions/{id}/keepalive}. */
public record KeepAliveAnswer(String id, Instant expiresAt) {}
