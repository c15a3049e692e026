package dev.lockstep.client;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock as {@link Sessions} needs it: instants that advance with {@link
 * System#nanoTime()}, so that a wall-clock step (NTP, a changed time zone, a suspended VM's resync)
 * neither loses a live session early nor keeps a lost one believed live. Only the differences
 * between its instants mean anything.
 */
final class MonotonicClock extends Clock {
  private final Instant origin = Instant.now();
  private final long originNanos = System.nanoTime();

  @Override
  public Instant instant() {
    return origin.plusNanos(System.nanoTime() - originNanos);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("instants only: the zone is not used");
  }
}
