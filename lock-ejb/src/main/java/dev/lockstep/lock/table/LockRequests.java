package dev.lockstep.lock.table;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.lock.table.AcquireResult.Conflict;
import dev.lockstep.lock.table.AcquireResult.Granted;
import dev.lockstep.lock.table.AcquireResult.Queued;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a session's requests on locks come to, once the session is known: acquire, release, withdraw
 * and cancel, each writing its changes to the log it is given. {@link LockTable} checks the input
 * and authenticates the token, then calls one of these with a fresh log; a batch ({@link
 * TableBatch}) authenticates once and runs many of them into one log. Each throws, as {@link
 * LockTable} documents, before it changed anything, so a refused request leaves the log as it was.
 */
final class LockRequests {
  private final Clock clock;
  private final TableLimits limits;
  private final TableState state;

  LockRequests(Clock clock, TableLimits limits, TableState state) {
    this.clock = clock;
    this.limits = limits;
    this.state = state;
  }

  /** The checks of an acquire's own values, made before the token is looked at. */
  void checkAcquire(LockName name, LockMode mode, String owner, Duration wait, String request) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(wait, "wait");
    RequestCheck.waitWithin(wait, limits);
    RequestCheck.text("owner", owner, TableLimits.MAX_OWNER_LENGTH);
    RequestCheck.text("requestId", request, TableLimits.MAX_REQUEST_ID_LENGTH);
  }

  /** See {@link LockTable#acquire(String, LockName, LockMode, String, Duration, String)}. */
  AcquireResult acquire(
      Session session,
      LockName name,
      LockMode mode,
      String owner,
      Duration wait,
      String request,
      Changes.Log log) {
    Instant now = clock.instant();
    if (session.requests.isCancelled(request)) {
      return new Conflict(
          state.view(name), "request " + request + " was cancelled before it arrived");
    }
    Optional<LockState> kept = state.lock(name);
    if (kept.isEmpty()) {
      return granted(state.grant(name, session, mode, owner, now, log), session, request);
    }
    LockState lock = kept.get();
    Grant held = lock.holders.get(session.id);
    if (held != null) {
      if (held.mode() == mode) {
        return new Granted(held, true);
      }
      String why = "session already holds this lock in " + held.mode().wireName() + " mode";
      return new Conflict(state.view(lock), why + "; release it first");
    }
    Waiter queued = session.waits.get(name);
    if (queued != null) {
      if (queued.mode != mode || wait.isZero()) {
        String why = "session already waits for this lock in " + queued.mode.wireName() + " mode";
        return new Conflict(state.view(lock), why);
      }
      lock.queue.retake(queued, owner, request, now.plus(wait));
      return new Queued(queued.id, lock.queue.positionOf(queued));
    }
    if (lock.grantsAtOnce(mode, now)) {
      return granted(state.grant(name, session, mode, owner, now, log), session, request);
    }
    if (wait.isZero()) {
      return new Conflict(state.view(lock), lock.whyNotGranted(now));
    }
    Optional<List<String>> cycle = state.graph().cycleIfWaiting(session, lock, mode);
    if (cycle.isPresent()) {
      throw LockTableException.deadlock(cycle.get(), state.view(lock));
    }
    if (lock.queue.size() >= limits.maxWaitersPerLock()) {
      throw LockTableException.lineFull(name, limits.maxWaitersPerLock(), state.view(lock));
    }
    Waiter waiter = state.enqueue(lock, session, mode, owner, request, now, wait, log);
    return new Queued(waiter.id, lock.queue.size());
  }

  /** See {@link LockTable#release}. */
  Grant release(Session session, LockName name, Changes.Log log) {
    Instant now = clock.instant();
    Optional<LockState> lock = state.lock(name).filter(l -> l.holders.containsKey(session.id));
    if (lock.isEmpty()) {
      throw LockTableException.notHeld(session.id, name, state.view(name));
    }
    return state.release(lock.get(), session, now, log);
  }

  /** See {@link LockTable#withdraw}. */
  void withdraw(Session session, LockName name, Changes.Log log) {
    Waiter waiter = session.waits.get(name);
    if (waiter == null) {
      throw LockTableException.nothingQueued(session.id, name, state.view(name));
    }
    state.refuse(waiter, "the session withdrew this request", clock.instant(), log);
  }

  /** The checks of a cancel's own values, made before the token is looked at. */
  static void checkCancel(String request) {
    Objects.requireNonNull(request, "request");
    RequestCheck.text("request", request, TableLimits.MAX_REQUEST_ID_LENGTH);
  }

  /** See {@link LockTable#cancelRequest}. */
  void cancelRequest(Session session, LockName name, String request, Changes.Log log) {
    Instant now = clock.instant();
    Waiter waiter = session.waits.get(name);
    if (waiter != null && request.equals(waiter.request)) {
      state.refuse(waiter, "the session cancelled request " + request, now, log);
    } else {
      session
          .requests
          .grantOf(request)
          .ifPresent(token -> releaseGrant(session, name, token, now, log));
    }
    session.requests.cancelled(request);
  }

  /** Releases the session's hold on the lock if it is still the grant of {@code token}. */
  private void releaseGrant(
      Session session, LockName name, long token, Instant now, Changes.Log log) {
    state
        .lock(name)
        .filter(l -> l.holders.containsKey(session.id))
        .filter(l -> l.holders.get(session.id).fencingToken() == token)
        .ifPresent(l -> state.release(l, session, now, log));
  }

  private static AcquireResult granted(Grant grant, Session session, String request) {
    session.requests.granted(request, grant.fencingToken());
    return new Granted(grant, false);
  }
}
