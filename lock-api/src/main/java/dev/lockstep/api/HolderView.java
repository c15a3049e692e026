package dev.lockstep.api;

import java.time.Instant;

/** One holder of a lock, as listed in a lock view and in a conflict problem. */
public record HolderView(String session, String owner, long fencingToken, Instant since) {}
