package dev.lockstep.lock.table;

import java.time.Duration;
import java.util.Objects;

/** The server's configured bounds; every one is enforced by the lock table. */
public record TableLimits(
    Duration defaultTtl,
    Duration minTtl,
    Duration maxTtl,
    Duration maxLockDelay,
    Duration maxWait,
    int maxSessions,
    int maxWaitersPerLock) {

  public static final int MAX_SESSION_NAME_LENGTH = 256;
  public static final int MAX_OWNER_LENGTH = 256;
  public static final int MAX_REQUEST_ID_LENGTH = 64;

  /** Operations in one batch, at most: one request, one table lock and one commit for them all. */
  public static final int MAX_BATCH_OPERATIONS = 64;

  /**
   * Sessions in one page of the session listing, by default and at most: 100 000 sessions must not
   * make one answer of megabytes, nor hold the table lock while it is written.
   */
  public static final int DEFAULT_SESSION_PAGE = 100;

  public static final int MAX_SESSION_PAGE = 1_000;

  /**
   * Sessions one page of the listing looks at, at most. A name prefix is not indexed, and a rare
   * one would otherwise scan every session under the table lock (measured: 5.7 ms for 100 000);
   * past this many the page ends early, possibly short or empty, with a {@code next} to go on from.
   */
  public static final int MAX_SESSIONS_SCANNED = 10_000;

  public TableLimits {
    Objects.requireNonNull(defaultTtl, "defaultTtl");
    Objects.requireNonNull(minTtl, "minTtl");
    Objects.requireNonNull(maxTtl, "maxTtl");
    Objects.requireNonNull(maxLockDelay, "maxLockDelay");
    Objects.requireNonNull(maxWait, "maxWait");
    if (minTtl.isNegative() || minTtl.isZero() || minTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException("need 0 < minTtl <= maxTtl: " + minTtl + ", " + maxTtl);
    }
    if (defaultTtl.compareTo(minTtl) < 0 || defaultTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException("defaultTtl outside [minTtl, maxTtl]: " + defaultTtl);
    }
    if (maxLockDelay.isNegative() || maxWait.isNegative()) {
      throw new IllegalArgumentException("maxLockDelay and maxWait must not be negative");
    }
    if (maxSessions < 1 || maxWaitersPerLock < 1) {
      throw new IllegalArgumentException("maxSessions and maxWaitersPerLock must be positive");
    }
  }

  /** The defaults documented in the README. */
  public static TableLimits defaults() {
    return new TableLimits(
        Duration.ofSeconds(10),
        Duration.ofSeconds(1),
        Duration.ofHours(1),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        200_000,
        1_000);
  }
}
