package dev.lockstep.lock.table;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/** A clock that only moves when a test moves it, so every expiry happens exactly when asked. */
public final class MutableClock extends Clock {
  private Instant now;

  public MutableClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  public void advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("time only moves forward: " + step);
    }
    now = now.plus(step);
  }

  public void set(Instant instant) {
    if (instant.isBefore(now)) {
      throw new IllegalArgumentException("time only moves forward: " + instant + " < " + now);
    }
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    // The table reads only instants; a zone would change nothing it sees.
    return this;
  }
}
