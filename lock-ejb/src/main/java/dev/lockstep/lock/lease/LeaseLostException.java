package dev.lockstep.lock.lease;

/**
 * A commit found another epoch in the leader row than the one its server took the lease at: the
 * server was deposed, and the commit was rolled back. Nothing of it may be answered or published.
 */
public final class LeaseLostException extends RuntimeException {
  private final long expected;
  private final long found;

  public LeaseLostException(long expected, long found) {
    this(
        "the lease was taken over: this server is at epoch "
            + expected
            + ", the database at "
            + found,
        expected,
        found);
  }

  private LeaseLostException(String message, long expected, long found) {
    super(message);
    this.expected = expected;
    this.found = found;
  }

  /** The server stepped down on its lease's word, before any commit found out. */
  public static LeaseLostException steppedDown() {
    return new LeaseLostException("this server stepped down: the lease is another's", -1, -1);
  }

  public long expected() {
    return expected;
  }

  public long found() {
    return found;
  }
}
