package dev.lockstep.it.fuzz;

import java.util.Optional;

/** What came back: status, Content-Type and body (empty for an event stream, closed at once). */
public record Reply(int status, Optional<String> contentType, String body) {}
