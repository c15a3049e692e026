package dev.lockstep.lock.lease;

import java.util.Objects;
import java.util.Optional;

/**
 * The leader row as the database answered it: the epoch (it only grows: every change of holder adds
 * one), the server that holds the lease, and the base URL that server advertises to clients. A row
 * whose holder is empty has never been claimed.
 */
public record LeaderRecord(long epoch, String holder, Optional<String> advertisedUrl) {
  public LeaderRecord {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative: " + epoch);
    }
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(advertisedUrl, "advertisedUrl");
  }

  public boolean heldBy(String server) {
    return holder.equals(server);
  }
}
