package dev.lockstep.client.fencing;

import dev.lockstep.client.LockstepException;

/** A write carried a fencing token lower than one the resource has already seen. */
public class StaleFencingTokenException extends LockstepException {
  private final String resource;
  private final long token;

  public StaleFencingTokenException(String resource, long token) {
    super(
        "resource "
            + resource
            + " has seen a fencing token higher than "
            + token
            + ": a newer holder of its lock wrote first, so this write is refused");
    this.resource = resource;
    this.token = token;
  }

  public String resource() {
    return resource;
  }

  public long token() {
    return token;
  }
}
