package dev.lockstep.client;

/** The owner supplier gave no caller identity; no HTTP call was made. */
public class NoCallerIdentityException extends LockstepException {
  public NoCallerIdentityException() {
    super("no caller identity: the configured owner supplier returned null or blank");
  }
}
