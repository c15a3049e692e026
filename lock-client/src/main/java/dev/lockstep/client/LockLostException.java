package dev.lockstep.client;

/**
 * The lock is no longer held: its session expired or was lost, or it was released elsewhere. Work
 * done under it may have overlapped another holder's: this is what fencing tokens guard.
 */
public class LockLostException extends LockstepException {
  public LockLostException(String message) {
    super(message);
  }
}
