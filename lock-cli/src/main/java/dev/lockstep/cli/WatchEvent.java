package dev.lockstep.cli;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;

/**
 * One line of {@code lockstep watch}: an event of the stream, its kind ({@code acquired}, ...,
 * {@code reset}) beside the fields of its {@code data:} JSON. Absent fields are left out of the
 * JSON line and of the text line.
 */
@JsonbPropertyOrder({"revision", "event", "lock", "session", "mode", "fencingToken", "owner", "at"})
public record WatchEvent(
    long revision,
    String event,
    String lock,
    String session,
    String mode,
    Long fencingToken,
    String owner,
    Instant at) {

  /** The same event with its kind, which the stream sends beside the data, not in it. */
  WatchEvent named(String kind) {
    return new WatchEvent(revision, kind, lock, session, mode, fencingToken, owner, at);
  }

  /** The text line: revision, kind and lock first, then {@code key=value} for what applies. */
  String text() {
    StringBuilder line = new StringBuilder().append(revision).append(' ').append(event);
    if (lock != null) {
      line.append(' ').append(lock);
    }
    if (mode != null) {
      line.append(' ').append(mode);
    }
    if (session != null) {
      line.append(" session=").append(session);
    }
    if (fencingToken != null) {
      line.append(" token=").append(fencingToken);
    }
    if (owner != null) {
      line.append(" owner=").append(owner);
    }
    if (at != null) {
      line.append(" at=").append(at);
    }
    if ("reset".equals(event)) {
      line.append(" (the server no longer has the events before this; run status to re-read)");
    }
    return line.toString();
  }
}
