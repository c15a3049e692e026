package dev.lockstep.lock.lease;

import java.time.Duration;
import java.util.Objects;

/**
 * How this server takes part in the group: its name in the leader row, the base URL it advertises
 * to clients, the lease length, how often it renews, and the safety margin its reads keep from the
 * lease's end. The renewal interval must leave room for at least two renewals within one lease.
 */
public record LeaseSettings(
    String server,
    String advertisedUrl,
    Duration length,
    Duration renewInterval,
    Duration safetyMargin) {
  public LeaseSettings {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(advertisedUrl, "advertisedUrl");
    if (renewInterval.isNegative()
        || renewInterval.isZero()
        || renewInterval.multipliedBy(2).compareTo(length) > 0) {
      throw new IllegalArgumentException(
          "the renewal interval "
              + renewInterval
              + " must be positive and at most half the lease "
              + length);
    }
    if (safetyMargin.isNegative() || safetyMargin.plus(renewInterval).compareTo(length) >= 0) {
      throw new IllegalArgumentException(
          "the safety margin "
              + safetyMargin
              + " plus the renewal interval must be shorter than the lease "
              + length);
    }
  }
}
