package dev.lockstep.api;

/** Answer to {@code GET /api/v1/locks/{name}/fencing/{token}}. */
public record FencingCheck(boolean valid) {}
