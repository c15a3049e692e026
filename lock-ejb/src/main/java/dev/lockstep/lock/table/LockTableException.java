package dev.lockstep.lock.table;

import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.api.ProblemType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A request the lock table refuses; the type decides the HTTP status, the detail explains, and a
 * lock conflict carries the lock's view so the answer can list holders and waiters.
 *
 * <p><b>One way to refuse, two shapes.</b> The table answers with a result what its caller branches
 * on as the normal course of a lock service, and throws this for a request that cannot be carried
 * out as asked, which the caller has only to answer as a problem:
 *
 * <ul>
 *   <li>Results: {@link AcquireResult.Conflict}, an acquire that others' holds or waits (or this
 *       session's own hold or wait in the other mode) keep out now; it is the answer to a try-once
 *       and the end of a wait, so the caller handles it next to {@code Granted} and {@code Queued}.
 *       {@code false} from {@link LockTable#cancelWait}: the wait had already ended, an expected
 *       race for a client that leaves. An ended wait is a {@link WaitEnded.WaitRefused} for the
 *       same reason: it is news for a waiter, not a failed call.
 *   <li>Exceptions, each thrown before the table changed: {@code bad-request} (400) for input out
 *       of bounds; {@code unauthorized} (401), {@code forbidden} (403) and {@code not-found} (404)
 *       from authentication, which no operation can proceed past; {@code too-many} (413) at a
 *       server limit; {@code not-held} (409) for releasing what the session does not hold, {@code
 *       conflict} (409) for withdrawing a request it has not queued, and {@code deadlock} (409,
 *       with the cycle) for a wait that could never be granted: each of these says the caller's
 *       picture of its session is wrong, which must not pass as an ordinary answer.
 * </ul>
 *
 * <p>The web layer maps these to problem+json with exactly the statuses of the wire contract; the
 * lock service and the web layer also throw it for bad input they find themselves.
 */
public class LockTableException extends RuntimeException {
  private final ProblemType type;
  private final transient LockView view;
  private final transient List<String> cycle;

  public LockTableException(ProblemType type, String detail) {
    this(type, detail, null);
  }

  /** {@code view} may be null for a refusal about no lock in particular. */
  public LockTableException(ProblemType type, String detail, LockView view) {
    this(type, detail, view, null);
  }

  /**
   * {@code view} and {@code cycle} may be null; {@link #view} and {@link #cycle} are then empty.
   */
  public LockTableException(ProblemType type, String detail, LockView view, List<String> cycle) {
    super(detail);
    this.type = Objects.requireNonNull(type, "type");
    this.view = view;
    this.cycle = cycle == null ? null : List.copyOf(cycle);
  }

  /** A release by a session that does not hold the lock. */
  static LockTableException notHeld(String session, LockName lock, LockView view) {
    return new LockTableException(
        ProblemType.NOT_HELD,
        "session "
            + session
            + " does not hold lock "
            + lock
            + " (never acquired, already released, or lost with an expired session)",
        view);
  }

  /** A withdrawal by a session that has no request queued for the lock. */
  static LockTableException nothingQueued(String session, LockName lock, LockView view) {
    return new LockTableException(
        ProblemType.CONFLICT,
        "session " + session + " has no request queued for lock " + lock,
        view);
  }

  /** A wait that would close {@code cycle}: session, lock, session, ..., the first session. */
  static LockTableException deadlock(List<String> cycle, LockView view) {
    return new LockTableException(
        ProblemType.DEADLOCK,
        "waiting would close a deadlock: " + String.join(" -> ", cycle),
        view,
        cycle);
  }

  /** A wait for a lock whose line is full. */
  static LockTableException lineFull(LockName lock, int maxWaiters, LockView view) {
    return new LockTableException(
        ProblemType.TOO_MANY,
        "lock " + lock + " has its maximum of " + maxWaiters + " waiters",
        view);
  }

  /** For a deadlock: session, lock it waits for, session, ..., back to the first session. */
  public Optional<List<String>> cycle() {
    return Optional.ofNullable(cycle);
  }

  public ProblemType type() {
    return type;
  }

  public Optional<LockView> view() {
    return Optional.ofNullable(view);
  }
}
