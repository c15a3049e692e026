package dev.lockstep.lock.table;

import dev.lockstep.api.LockName;
import java.time.Instant;
import java.util.Objects;

/** A lock no one may be granted before {@code until}: its holder's session expired. */
public record LockDelay(LockName lock, Instant until) {
  public LockDelay {
    Objects.requireNonNull(lock, "lock");
    Objects.requireNonNull(until, "until");
  }
}
