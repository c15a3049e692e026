package dev.lockstep.client;

/**
 * The client's session is not live: it is in jeopardy (keep-alives failing), lost (its TTL passed),
 * or the client is closed. Thrown before any HTTP call is made.
 */
public class SessionUnavailableException extends LockstepException {
  private final SessionState state;

  public SessionUnavailableException(SessionState state, String message) {
    super(message);
    this.state = state;
  }

  public SessionState state() {
    return state;
  }
}
