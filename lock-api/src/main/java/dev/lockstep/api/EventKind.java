package dev.lockstep.api;

/** The {@code event:} names of the event stream. */
public enum EventKind {
  ACQUIRED("acquired"),
  RELEASED("released"),
  EXPIRED("expired"),
  QUEUED("queued"),
  DEQUEUED("dequeued"),
  SESSION_EXPIRED("session-expired");

  private final String wireName;

  EventKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
