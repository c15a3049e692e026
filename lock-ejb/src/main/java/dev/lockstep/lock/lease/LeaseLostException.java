package dev.lockstep.lock.lease;

/**
 * A commit found another epoch in the leader row than the one its server took the lease at: the
 * server was deposed, and the commit was rolled back. Nothing of it may be answered or published.
 */
public final class LeaseLostException extends RuntimeException {
  private final long expected;
  private final long found;

  public LeaseLostException(long expected, long found) {
    super(
        "the lease was taken over: this server is at epoch "
            + expected
            + ", the database at "
            + found);
    this.expected = expected;
    this.found = found;
  }

  public long expected() {
    return expected;
  }

  public long found() {
    return found;
  }
}
