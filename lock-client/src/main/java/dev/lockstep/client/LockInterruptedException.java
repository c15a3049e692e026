package dev.lockstep.client;

/**
 * A thread was interrupted while it waited for a lock in {@code acquire} or {@code tryAcquire}: the
 * wait ended at once, its request was withdrawn from the lock's line, and it will not be granted.
 * The thread's interrupt flag is set again before this is thrown. ({@code acquireInterruptibly}
 * throws {@link InterruptedException} instead.)
 */
public class LockInterruptedException extends LockstepException {
  public LockInterruptedException(String message, InterruptedException cause) {
    super(message, cause);
  }
}
