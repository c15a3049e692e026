package dev.lockstep.lock.table;

import dev.lockstep.api.LockList;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.lock.session.SessionTokenIssuer;
import dev.lockstep.lock.table.AcquireResult.Conflict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules of the lock service: who may act for a session, what a request for a lock comes to
 * (granted, queued, or a conflict), and when waits, sessions and lock-delays run out. The parts it
 * decides with: {@link SessionRegistry} (sessions, their expiry, bearer tokens), {@link WaitQueue}
 * (a lock's FIFO line), {@link WaitForGraph} (deadlocks), {@link LockMode#compatibleWith} (the one
 * shared/exclusive rule) and {@link TableState}, which carries out and logs every change.
 *
 * <p>Not thread-safe: its owner serializes every call. Time comes only from the injected clock. The
 * owner calls {@link #expireDue()} before each operation and stores its changes on their own, so an
 * operation that is refused never takes expiry changes down with it; and a session whose TTL has
 * passed is unknown to every operation even before it is reaped.
 *
 * <p>How it refuses is said in {@link LockTableException}: what a caller branches on is a result
 * ({@link Conflict} for a lock held by others, {@code false} from {@link #cancelWait}); a request
 * that cannot be carried out as asked is an exception, thrown before anything changed.
 */
public final class LockTable {
  private final Clock clock;
  private final TableLimits limits;
  private final SessionRegistry sessions;
  private final TableState state;
  private final LockRequests requests;

  public LockTable(Clock clock, TableLimits limits, SessionTokenIssuer issuer) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.sessions =
        new SessionRegistry(clock, Objects.requireNonNull(issuer, "issuer"), limits.maxSessions());
    this.state = new TableState(sessions);
    this.requests = new LockRequests(clock, limits, state);
  }

  public TableLimits limits() {
    return limits;
  }

  // ---------------------------------------------------------------- restore

  /**
   * Loads what persistence kept. Each session gets a grace period: it expires no sooner than now
   * plus its TTL, so that its client can reconnect and keep it alive. Only on an empty table, else
   * {@link IllegalStateException}: a second load is a bug of the owner, not a request to refuse.
   */
  public void restore(long savedCounter, List<SessionSnapshot> saved, List<Grant> grants) {
    restore(savedCounter, saved, grants, List.of());
  }

  /** Also restores the lock-delays still in force, so a restart inside one grants nothing early. */
  public void restore(
      long savedCounter, List<SessionSnapshot> saved, List<Grant> grants, List<LockDelay> delays) {
    state.restore(savedCounter, saved, grants, delays, clock.instant());
  }

  // ---------------------------------------------------------------- sessions

  /**
   * Opens a session; {@code ttl} and {@code lockDelay} may be null for the defaults. Throws {@code
   * bad-request} for a TTL, lock-delay or name out of bounds and {@code too-many} when the server
   * holds its maximum of sessions.
   */
  public Outcome<OpenedSession> openSession(String name, Duration ttl, Duration lockDelay) {
    Duration effectiveTtl = RequestCheck.ttl(ttl, limits);
    Duration delay = RequestCheck.lockDelay(lockDelay, limits);
    RequestCheck.text("session name", name, TableLimits.MAX_SESSION_NAME_LENGTH);
    Changes.Log log = new Changes.Log();
    OpenedSession opened = sessions.open(name, effectiveTtl, delay, clock.instant());
    log.sessionsOpened.add(opened.session());
    return state.outcome(opened, log);
  }

  /** One page of the live sessions in id order: see {@link SessionRegistry#page}. */
  public SessionPage sessions(String namePrefix, String after, int limit) {
    return sessions.page(namePrefix, after, limit);
  }

  /** The live session {@code id}; empty once its TTL has passed, even before it is reaped. */
  public Optional<SessionSnapshot> session(String id) {
    return sessions.live(id).map(Session::snapshot);
  }

  /**
   * Extends the session's lease to now plus its TTL. Nothing is stored: after a restart every
   * session gets now plus its TTL anyway, which is at least what the last keep-alive gave it.
   * Throws {@code unauthorized}, {@code forbidden} or {@code not-found} as {@link
   * SessionRegistry#authorize} says.
   */
  public Outcome<SessionSnapshot> keepAlive(String sessionId, String bearer) {
    Changes.Log log = new Changes.Log();
    Session session = sessions.authorize(sessionId, bearer);
    sessions.renew(session, clock.instant());
    return state.outcome(session.snapshot(), log);
  }

  /**
   * Ends the session: its locks are released and its waits dropped. The result is {@code Void}:
   * only the changes matter. Throws as {@link #keepAlive} does.
   */
  public Outcome<Void> closeSession(String sessionId, String bearer) {
    Instant now = clock.instant();
    Changes.Log log = new Changes.Log();
    Session session = sessions.authorize(sessionId, bearer);
    state.endSession(session, false, now, now, log);
    return state.outcome(null, log);
  }

  // ---------------------------------------------------------------- locks

  /**
   * Grants the lock at once when the queue is empty, no lock-delay applies and the mode is
   * compatible with the holders; otherwise queues the request for up to {@code wait}, or answers a
   * conflict when {@code wait} is zero. A session that already holds the lock in this mode gets its
   * grant back unchanged. A session that already waits for it hands the queued place to this newer
   * request (the retry of a dropped connection keeps its place in line).
   *
   * <p>A {@link Conflict} result: the lock is held or waited for in a way that does not let this
   * request in now (a try-once, a hold or wait of this session in the other mode); the caller
   * answers it with the lock's view. Thrown: {@code bad-request} for a wait or owner out of bounds,
   * {@code unauthorized} for no or an unknown token, {@code deadlock} when waiting would close a
   * cycle (with the cycle), {@code too-many} when the lock has its maximum of waiters.
   */
  public Outcome<AcquireResult> acquire(
      String bearer, LockName name, LockMode mode, String owner, Duration wait) {
    return acquire(bearer, name, mode, owner, wait, null);
  }

  /**
   * As {@link #acquire(String, LockName, LockMode, String, Duration)}, for a request the client
   * named ({@code request}, null when it did not), so that it can cancel it by that name with
   * {@link #cancelRequest}. A request cancelled before it arrived is a {@link Conflict}.
   */
  public Outcome<AcquireResult> acquire(
      String bearer, LockName name, LockMode mode, String owner, Duration wait, String request) {
    requests.checkAcquire(name, mode, owner, wait, request);
    Changes.Log log = new Changes.Log();
    Session session = sessions.authenticate(bearer);
    return state.outcome(requests.acquire(session, name, mode, owner, wait, request, log), log);
  }

  /**
   * Releases the session's hold and grants whoever is next. Thrown: {@code unauthorized}, and
   * {@code not-held} (with the lock's view) when the session does not hold the lock: a release the
   * caller believed in and that did nothing must not pass unnoticed.
   */
  public Outcome<Grant> release(String bearer, LockName name) {
    Changes.Log log = new Changes.Log();
    Session session = sessions.authenticate(bearer);
    return state.outcome(requests.release(session, name, log), log);
  }

  /**
   * Withdraws the session's queued request for the lock: it leaves the line at once and its waiting
   * request is answered as refused. This is how a client cancels a wait without having to drop its
   * connection. Thrown: {@code unauthorized}, and {@code conflict} (with the lock's view) when the
   * session has no request queued for it, since there is nothing to answer with.
   */
  public Outcome<Void> withdraw(String bearer, LockName name) {
    Changes.Log log = new Changes.Log();
    requests.withdraw(sessions.authenticate(bearer), name, log);
    return state.outcome(null, log);
  }

  /**
   * Cancels the session's request named {@code request}, whatever became of it: withdrawn if it is
   * queued, its grant released if it got one and still holds it, and refused if it arrives later.
   * How a client that gave up on a request whose answer never came (a frozen server, a lost
   * connection) makes sure that request holds nothing; a later request of the same session is
   * untouched. Thrown: {@code unauthorized}, {@code bad-request} for a name out of bounds.
   */
  public Outcome<Void> cancelRequest(String bearer, LockName name, String request) {
    LockRequests.checkCancel(request);
    Changes.Log log = new Changes.Log();
    requests.cancelRequest(sessions.authenticate(bearer), name, request, log);
    return state.outcome(null, log);
  }

  /**
   * Applies a batch of one session's operations in order, into one outcome whose changes are stored
   * together: see {@link TableBatch}. Thrown, before anything changed: {@code unauthorized} for no
   * or an unknown token, {@code bad-request} when an operation names another session.
   */
  public Outcome<BatchAnswer> batch(String bearer, BatchRequest batch) {
    Session session = sessions.authenticate(bearer);
    return new TableBatch(requests, sessions, state, clock).apply(session, batch);
  }

  /** The session when {@code bearer} is its token: the checks of {@link #keepAlive}, no renewal. */
  public SessionSnapshot authorized(String sessionId, String bearer) {
    return sessions.authorize(sessionId, bearer).snapshot();
  }

  /**
   * Takes a queued request out of line because its client went away. False when the wait had
   * already ended (granted, timed out, or dropped with its session): a result, not a refusal,
   * because that race with the table is the normal course for a client that leaves.
   */
  public Outcome<Boolean> cancelWait(long waiterId) {
    Instant now = clock.instant();
    Changes.Log log = new Changes.Log();
    Optional<Waiter> waiter = state.waiter(waiterId);
    waiter.ifPresent(w -> state.cancel(w, now, log));
    return state.outcome(waiter.isPresent(), log);
  }

  /** Expires every session, wait and lock-delay whose time has come. The expiry timer calls it. */
  public Outcome<Void> expireDue() {
    Instant now = clock.instant();
    Changes.Log log = new Changes.Log();
    state.expireDue(now, log);
    return state.outcome(null, log);
  }

  /** Whether {@link #expireDue()} has anything to do now; cheap enough for every tick. */
  public boolean hasDue() {
    return nextDeadline().map(due -> !due.isAfter(clock.instant())).orElse(false);
  }

  /** The earliest instant at which {@link #expireDue()} has something to do, if any. */
  public Optional<Instant> nextDeadline() {
    return state.nextDeadline();
  }

  // ---------------------------------------------------------------- reads

  /** The lock as it stands; a lock nobody holds or waits for is free. */
  public LockView view(LockName name) {
    return state.view(name);
  }

  /** Locks that are held or have waiters, whose names start with {@code prefix}, by name. */
  public LockList list(String prefix) {
    return list(prefix, false);
  }

  /** As {@link #list(String)}, with {@code delayed} also the locks only a lock-delay keeps. */
  public LockList list(String prefix, boolean delayed) {
    return state.list(prefix == null ? "" : prefix, delayed);
  }

  /** Whether {@code token} is the fencing token of a current grant of the lock. */
  public boolean fencingValid(LockName name, long token) {
    return state
        .lock(name)
        .filter(l -> l.holders.values().stream().anyMatch(g -> g.fencingToken() == token))
        .isPresent();
  }

  public long revision() {
    return state.revision();
  }

  public int sessionCount() {
    return sessions.size();
  }

  public int waiterCount() {
    return state.waiterCount();
  }

  /** Current holds: one per (lock, holding session), so a lock shared by three counts three. */
  public long holdCount() {
    return state.holdCount();
  }
}
