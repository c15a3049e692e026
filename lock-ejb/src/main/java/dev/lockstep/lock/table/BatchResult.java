package dev.lockstep.lock.table;

/** What one operation of a batch came to: exactly what its single call would have answered. */
public sealed interface BatchResult {

  /** An acquire: granted, queued (its ending goes to the session's grant channel) or a conflict. */
  record Acquired(AcquireResult result) implements BatchResult {}

  /** A release, with the grant it ended. */
  record Released(Grant grant) implements BatchResult {}

  /** A withdraw or a cancel, which answer nothing but that they were done. */
  record Done() implements BatchResult {}

  /** A keep-alive, with the session as it now stands. */
  record KeptAlive(SessionSnapshot session) implements BatchResult {}

  /**
   * Refused: the {@link LockTableException} the single call would have thrown, or an unexpected
   * failure, which the web layer logs. Nothing of a refused operation changed the table.
   */
  record Refused(RuntimeException refusal) implements BatchResult {}
}
