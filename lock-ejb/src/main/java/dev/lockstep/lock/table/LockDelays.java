package dev.lockstep.lock.table;

import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The locks under a lock-delay, by the end of the delay, so that the expiry sweep finds the next
 * one to lift without a scan. The only writer of {@link LockState#blockedUntil}, so the index and
 * the field cannot disagree.
 */
final class LockDelays {
  private final TreeSet<LockState> byEnd =
      new TreeSet<>(
          Comparator.comparing((LockState l) -> l.blockedUntil).thenComparing(l -> l.name));

  /** Blocks the lock until {@code until}, or longer if an earlier expiry already blocks it so. */
  void delay(LockState lock, Instant until) {
    Instant end = until;
    if (lock.blockedUntil != null) {
      byEnd.remove(lock);
      if (lock.blockedUntil.isAfter(end)) {
        end = lock.blockedUntil;
      }
    }
    lock.blockedUntil = end;
    byEnd.add(lock);
  }

  /** Ends the lock's delay, if it has one. */
  void lift(LockState lock) {
    if (lock.blockedUntil != null) {
      byEnd.remove(lock);
      lock.blockedUntil = null;
    }
  }

  /** The lock whose delay ends first. */
  Optional<LockState> firstToEnd() {
    return byEnd.isEmpty() ? Optional.empty() : Optional.of(byEnd.first());
  }
}
