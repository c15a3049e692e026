package dev.lockstep.lock.lease;

/** The database could not be asked about the lease: the answer is unknown, not a refusal. */
public final class LeaseStoreException extends RuntimeException {
  public LeaseStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
