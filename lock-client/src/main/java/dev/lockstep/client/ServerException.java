package dev.lockstep.client;

/** The server refused a request (a problem+json answer) or could not be reached. */
public class ServerException extends LockstepException {
  private final int status;

  public ServerException(int status, String message) {
    super(message);
    this.status = status;
  }

  public ServerException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  /** The HTTP status, or 0 when the server could not be reached. */
  public int status() {
    return status;
  }
}
