package dev.lockstep.lock.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One server's view of the lease, fed by what the database answered to each claim and when that
 * claim was sent. Not thread-safe on its own: {@link LeaseKeeper} feeds it from one thread, and
 * readers ask it under its monitor.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>The server is active at epoch E from the answer that says it holds the lease at E; it loads
 *       its table afresh then, since another may have changed the database before.
 *   <li>It answers reads only while the lease is surely still its own by its own clock: until the
 *       claim's sending time plus the lease length minus a safety margin. The database set the
 *       expiry at its now plus the length when it ran the claim, which was after the claim was
 *       sent, so this end comes before the database's, whatever the two clocks read; the margin
 *       covers the rates at which they run.
 *   <li>It steps down at once when an answer names another holder or another epoch, or when a
 *       commit finds another epoch ({@link #commitRefused}).
 *   <li>An unanswered claim changes nothing by itself: the reads stop when the time runs out, and
 *       every commit is guarded by the epoch in the database anyway.
 * </ul>
 *
 * {@code clock} must not step (a monotonic clock such as {@link MonotonicClock}).
 */
public final class Lease {
  private final String server;
  private final Clock clock;
  private final Duration length;
  private final Duration safetyMargin;

  private OptionalLong activeEpoch = OptionalLong.empty();
  private Instant readsUntil = Instant.MIN;
  private Optional<LeaderRecord> lastSeen = Optional.empty();

  public Lease(String server, Clock clock, Duration length, Duration safetyMargin) {
    this.server = Objects.requireNonNull(server, "server");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (safetyMargin.isNegative() || safetyMargin.compareTo(length) >= 0) {
      throw new IllegalArgumentException(
          "the safety margin " + safetyMargin + " must be shorter than the lease " + length);
    }
    this.length = length;
    this.safetyMargin = safetyMargin;
  }

  /** What an answer or a refusal did to this server's part. */
  public enum Change {
    /** Nothing: still active at the same epoch, or still standby. */
    NONE,
    /** Active at a new epoch: load the table afresh, then serve. */
    BECAME_ACTIVE,
    /** No longer active: discard the table, answer not-leader. */
    STEPPED_DOWN
  }

  /** The time to remember as a claim's sending time: take it just before the claim is sent. */
  public synchronized Instant sending() {
    return clock.instant();
  }

  /** The epoch to claim at: the active one, or none (0 never matches a claimed row). */
  public synchronized long knownEpoch() {
    return activeEpoch.orElse(0);
  }

  /** The database answered a claim that was sent at {@code sentAt}. */
  public synchronized Change answered(Instant sentAt, LeaderRecord row) {
    lastSeen = Optional.of(row);
    boolean ours = row.heldBy(server);
    if (ours && activeEpoch.isPresent() && activeEpoch.getAsLong() == row.epoch()) {
      readsUntil = later(readsUntil, sentAt.plus(length).minus(safetyMargin));
      return Change.NONE;
    }
    if (ours) {
      // A new epoch, also when this server held an older one: whatever it had in memory may be
      // behind the database, so it becomes active afresh.
      activeEpoch = OptionalLong.of(row.epoch());
      readsUntil = sentAt.plus(length).minus(safetyMargin);
      return Change.BECAME_ACTIVE;
    }
    return stepDown();
  }

  /**
   * A commit at {@code epoch} found another epoch in the database: step down, unless this server
   * already moved on to another epoch since.
   */
  public synchronized Change commitRefused(long epoch) {
    if (activeEpoch.isPresent() && activeEpoch.getAsLong() == epoch) {
      return stepDown();
    }
    return Change.NONE;
  }

  /** Steps down on purpose, as at shutdown; the epoch it held, if any. */
  public synchronized OptionalLong resign() {
    OptionalLong held = activeEpoch;
    stepDown();
    return held;
  }

  /**
   * Whether this server holds the lease by the last answer: it may commit, guarded by the epoch.
   */
  public synchronized OptionalLong activeEpoch() {
    return activeEpoch;
  }

  /** Whether this server may answer a read now: active, and the lease surely still its own. */
  public synchronized boolean mayAnswerReads() {
    return activeEpoch.isPresent() && clock.instant().isBefore(readsUntil);
  }

  /** The leader row as last answered, for the not-leader hint and the cluster view. */
  public synchronized Optional<LeaderRecord> lastSeen() {
    return lastSeen;
  }

  private Change stepDown() {
    readsUntil = Instant.MIN;
    if (activeEpoch.isEmpty()) {
      return Change.NONE;
    }
    activeEpoch = OptionalLong.empty();
    return Change.STEPPED_DOWN;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
