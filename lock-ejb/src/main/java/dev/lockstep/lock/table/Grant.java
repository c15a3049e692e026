package dev.lockstep.lock.table;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import java.time.Instant;
import java.util.Objects;

/**
 * A session's hold on a lock. The fencing token is the revision of the grant's own event. {@code
 * owner} is the client's free text and null when it sent none, as the wire's optional field is.
 */
public record Grant(
    LockName lock,
    String session,
    LockMode mode,
    String owner,
    long fencingToken,
    Instant acquiredAt) {
  public Grant {
    Objects.requireNonNull(lock, "lock");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(acquiredAt, "acquiredAt");
    if (fencingToken <= 0) {
      throw new IllegalArgumentException("fencing token must be positive: " + fencingToken);
    }
  }

  public GrantView view() {
    return new GrantView(lock.value(), mode.wireName(), session, owner, fencingToken, acquiredAt);
  }
}
