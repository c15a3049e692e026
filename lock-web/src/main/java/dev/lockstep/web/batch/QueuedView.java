package dev.lockstep.web.batch;

/** A batch acquire that waits in line: its ending comes on the session's grant channel. */
public record QueuedView(String name, String requestId, int position) {}
