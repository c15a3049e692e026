package dev.lockstep.client;

/** Base of every exception the lock client throws; all are unchecked. */
public class LockstepException extends RuntimeException {
  public LockstepException(String message) {
    super(message);
  }

  public LockstepException(String message, Throwable cause) {
    super(message, cause);
  }
}
