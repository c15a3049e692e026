package dev.lockstep.api;

import java.time.Instant;

/** Answer to a granted {@code PUT /api/v1/locks/{name}}. */
public record GrantView(
    String name,
    String mode,
    String session,
    String owner,
    long fencingToken,
    Instant acquiredAt) {}
