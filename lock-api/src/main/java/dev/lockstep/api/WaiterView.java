package dev.lockstep.api;

import java.time.Instant;

/** One queued request for a lock, in queue order. */
public record WaiterView(String session, String mode, Instant since) {}
