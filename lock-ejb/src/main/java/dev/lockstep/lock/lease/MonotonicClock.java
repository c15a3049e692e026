package dev.lockstep.lock.lease;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that advances with {@link System#nanoTime}: a step of the wall clock (NTP, an operator)
 * must neither lengthen nor shorten the time a server believes its lease is its own.
 */
public final class MonotonicClock extends Clock {
  private final Instant start = Instant.now();
  private final long startNanos = System.nanoTime();

  @Override
  public Instant instant() {
    return start.plusNanos(System.nanoTime() - startNanos);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    // Only instants are read, and only their differences matter.
    return this;
  }
}
