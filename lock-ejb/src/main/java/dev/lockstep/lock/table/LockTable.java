package dev.lockstep.lock.table;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.LockEvent;
import dev.lockstep.api.LockList;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.session.SessionToken;
import dev.lockstep.lock.session.SessionTokenIssuer;
import dev.lockstep.lock.table.AcquireResult.Conflict;
import dev.lockstep.lock.table.AcquireResult.Granted;
import dev.lockstep.lock.table.AcquireResult.Queued;
import dev.lockstep.lock.table.WaitEnded.WaitGranted;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rules of the lock service in one place: sessions and their expiry, exclusive and shared
 * compatibility, one FIFO queue per lock, the fencing/revision counter and lock-delay.
 *
 * <p>Not thread-safe: its owner serializes every call. Time comes only from the injected clock. The
 * owner calls {@link #expireDue()} before each operation and stores its changes on their own, so an
 * operation that is refused never takes expiry changes down with it; and a session whose TTL has
 * passed is unknown to every operation even before it is reaped.
 */
public final class LockTable {
  private final Clock clock;
  private final TableLimits limits;
  private final SessionTokenIssuer issuer;

  private final Map<String, Session> sessions = new HashMap<>();
  private final TreeSet<Session> sessionsByExpiry =
      new TreeSet<>(Comparator.comparing((Session s) -> s.expiresAt).thenComparing(s -> s.id));
  // Sorted by name so that a prefix listing is a range, not a scan.
  private final TreeMap<String, LockState> locks = new TreeMap<>();
  private final Map<Long, Waiter> waiters = new HashMap<>();
  private final TreeSet<Waiter> waitersByDeadline =
      new TreeSet<>(Comparator.comparing((Waiter w) -> w.deadline).thenComparingLong(w -> w.id));
  private final TreeSet<LockState> delayedLocks =
      new TreeSet<>(
          Comparator.comparing((LockState l) -> l.blockedUntil).thenComparing(l -> l.name));
  private FencingCounter counter = new FencingCounter(0);
  private long lastWaiterId;
  private long holds;

  public LockTable(Clock clock, TableLimits limits, SessionTokenIssuer issuer) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
  }

  public TableLimits limits() {
    return limits;
  }

  // ---------------------------------------------------------------- restore

  /**
   * Loads what persistence kept. Each session gets a grace period: it expires no sooner than now
   * plus its TTL, so that its client can reconnect and keep it alive. Only on an empty table.
   */
  public void restore(long savedCounter, List<SessionSnapshot> saved, List<Grant> grants) {
    restore(savedCounter, saved, grants, List.of());
  }

  /** Also restores the lock-delays still in force, so a restart inside one grants nothing early. */
  public void restore(
      long savedCounter, List<SessionSnapshot> saved, List<Grant> grants, List<LockDelay> delays) {
    if (!sessions.isEmpty() || !locks.isEmpty()) {
      throw new IllegalStateException("restore needs an empty lock table");
    }
    Instant now = clock.instant();
    long highest = savedCounter;
    for (SessionSnapshot s : saved) {
      Instant graced = s.expiresAt().isAfter(now.plus(s.ttl())) ? s.expiresAt() : now.plus(s.ttl());
      Session session =
          new Session(
              s.id(), s.name(), s.ttl(), s.lockDelay(), s.tokenHash(), s.createdAt(), graced);
      sessions.put(session.id, session);
      sessionsByExpiry.add(session);
    }
    List<Grant> inGrantOrder = new ArrayList<>(grants);
    inGrantOrder.sort(Comparator.comparingLong(Grant::fencingToken));
    for (Grant g : inGrantOrder) {
      Session session = sessions.get(g.session());
      if (session == null) {
        continue; // its session ended in the same moment; the grant went with it
      }
      stateOf(g.lock()).holders.put(session.id, g);
      session.held.add(g.lock());
      holds++;
      highest = Math.max(highest, g.fencingToken());
    }
    for (LockDelay delay : delays) {
      if (delay.until().isAfter(now)) {
        delay(stateOf(delay.lock()), delay.until());
      }
    }
    counter = new FencingCounter(highest);
  }

  // ---------------------------------------------------------------- sessions

  /** Opens a session; {@code ttl} and {@code lockDelay} may be null for the defaults. */
  public Outcome<OpenedSession> openSession(String name, Duration ttl, Duration lockDelay) {
    Duration effectiveTtl = ttl == null ? limits.defaultTtl() : ttl;
    if (effectiveTtl.compareTo(limits.minTtl()) < 0
        || effectiveTtl.compareTo(limits.maxTtl()) > 0) {
      throw badRequest(
          "ttl "
              + effectiveTtl
              + " is outside the server's bounds ["
              + limits.minTtl()
              + ", "
              + limits.maxTtl()
              + "]");
    }
    Duration delay = lockDelay == null ? Duration.ZERO : lockDelay;
    if (delay.isNegative() || delay.compareTo(limits.maxLockDelay()) > 0) {
      throw badRequest("lockDelay " + delay + " is outside [PT0S, " + limits.maxLockDelay() + "]");
    }
    checkText("session name", name, TableLimits.MAX_SESSION_NAME_LENGTH);
    Instant now = clock.instant();
    Changes.Log log = new Changes.Log();
    if (sessions.size() >= limits.maxSessions()) {
      throw new LockTableException(
          ProblemType.TOO_MANY,
          "the server holds its maximum of " + limits.maxSessions() + " sessions");
    }
    SessionToken token = issuer.issue();
    while (sessions.containsKey(token.sessionId())) {
      token = issuer.issue(); // 96 random bits make this loop a formality
    }
    Session session =
        new Session(
            token.sessionId(),
            name,
            effectiveTtl,
            delay,
            token.secretHash(),
            now,
            now.plus(effectiveTtl));
    sessions.put(session.id, session);
    sessionsByExpiry.add(session);
    SessionSnapshot snapshot = session.snapshot();
    log.sessionsOpened.add(snapshot);
    return new Outcome<>(new OpenedSession(snapshot, token), log.close(counter.last()));
  }

  public Optional<SessionSnapshot> session(String id) {
    Session session = sessions.get(id);
    if (session == null || !session.expiresAt.isAfter(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(session.snapshot());
  }

  /**
   * Extends the session's lease to now plus its TTL. Nothing is stored: after a restart every
   * session gets now plus its TTL anyway, which is at least what the last keep-alive gave it.
   */
  public Outcome<SessionSnapshot> keepAlive(String sessionId, String bearer) {
    Instant now = clock.instant();
    Changes.Log log = new Changes.Log();
    Session session = authorize(sessionId, bearer);
    sessionsByExpiry.remove(session);
    session.expiresAt = now.plus(session.ttl);
    sessionsByExpiry.add(session);
    return new Outcome<>(session.snapshot(), log.close(counter.last()));
  }

  /** Ends the session: its locks are released and its waits dropped. */
  public Outcome<Void> closeSession(String sessionId, String bearer) {
    Instant now = clock.instant();
    Changes.Log log = new Changes.Log();
    Session session = authorize(sessionId, bearer);
    endSession(session, false, now, log);
    return new Outcome<>(null, log.close(counter.last()));
  }

  // ---------------------------------------------------------------- locks

  /**
   * Grants the lock at once when the queue is empty, no lock-delay applies and the mode is
   * compatible with the holders; otherwise queues the request for up to {@code wait}, or answers a
   * conflict when {@code wait} is zero. A session that already holds the lock in this mode gets its
   * grant back unchanged. A session that already waits for it hands the queued place to this newer
   * request (the retry of a dropped connection keeps its place in line).
   */
  public Outcome<AcquireResult> acquire(
      String bearer, LockName name, LockMode mode, String owner, Duration wait) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(wait, "wait");
    if (wait.isNegative() || wait.compareTo(limits.maxWait()) > 0) {
      throw badRequest("wait " + wait + " is outside [PT0S, " + limits.maxWait() + "]");
    }
    checkText("owner", owner, TableLimits.MAX_OWNER_LENGTH);
    Instant now = clock.instant();
    Changes.Log log = new Changes.Log();
    Session session = authenticate(bearer);
    LockState state = locks.get(name.value());
    if (state != null) {
      Grant held = state.holders.get(session.id);
      if (held != null) {
        if (held.mode() == mode) {
          return new Outcome<>(new Granted(held, true), log.close(counter.last()));
        }
        return conflict(
            state,
            "session already holds this lock in "
                + held.mode().wireName()
                + " mode; release it first",
            log);
      }
      Waiter queued = session.waits.get(name);
      if (queued != null) {
        if (queued.mode != mode || wait.isZero()) {
          return conflict(
              state,
              "session already waits for this lock in " + queued.mode.wireName() + " mode",
              log);
        }
        waitersByDeadline.remove(queued);
        queued.deadline = now.plus(wait);
        queued.owner = owner;
        waitersByDeadline.add(queued);
        return new Outcome<>(
            new Queued(queued.id, positionOf(state, queued)), log.close(counter.last()));
      }
    }
    if (state == null || (state.queue.isEmpty() && !state.delayedAt(now) && state.admits(mode))) {
      Grant grant = grant(stateOf(name), session, mode, owner, now, log);
      return new Outcome<>(new Granted(grant, false), log.close(counter.last()));
    }
    if (wait.isZero()) {
      return conflict(state, whyNotGranted(state, now), log);
    }
    Optional<List<String>> cycle =
        new WaitForGraph(sessions, locks).cycleIfWaiting(session, state, mode);
    if (cycle.isPresent()) {
      throw new LockTableException(
          ProblemType.DEADLOCK,
          "waiting would close a deadlock: " + String.join(" -> ", cycle.get()),
          state.view(counter.last()),
          cycle.get());
    }
    if (state.queue.size() >= limits.maxWaitersPerLock()) {
      throw new LockTableException(
          ProblemType.TOO_MANY,
          "lock " + name + " has its maximum of " + limits.maxWaitersPerLock() + " waiters",
          state.view(counter.last()));
    }
    Waiter waiter = new Waiter(++lastWaiterId, name, session, mode, owner, now, now.plus(wait));
    state.queue.add(waiter);
    waiters.put(waiter.id, waiter);
    waitersByDeadline.add(waiter);
    session.waits.put(name, waiter);
    event(log, EventKind.QUEUED, name, session.id, mode, null, now);
    return new Outcome<>(new Queued(waiter.id, state.queue.size()), log.close(counter.last()));
  }

  /** Releases the session's hold; a lock it does not hold is a {@code not-held} refusal. */
  public Outcome<Grant> release(String bearer, LockName name) {
    Instant now = clock.instant();
    Changes.Log log = new Changes.Log();
    Session session = authenticate(bearer);
    LockState state = locks.get(name.value());
    Grant grant = state == null ? null : state.holders.get(session.id);
    if (grant == null) {
      throw new LockTableException(
          ProblemType.NOT_HELD,
          "session "
              + session.id
              + " does not hold lock "
              + name
              + " (never acquired, already released, or lost with an expired session)",
          view(name));
    }
    state.holders.remove(session.id);
    session.held.remove(name);
    holds--;
    log.grantRemoved(grant);
    event(log, EventKind.RELEASED, name, session.id, grant.mode(), grant.fencingToken(), now);
    promote(state, now, log);
    return new Outcome<>(grant, log.close(counter.last()));
  }

  /**
   * Withdraws the session's queued request for the lock: it leaves the line at once and its waiting
   * request is answered as refused. A session with no request queued for it is a conflict. This is
   * how a client cancels a wait without having to drop its connection.
   */
  public Outcome<Void> withdraw(String bearer, LockName name) {
    Instant now = clock.instant();
    Changes.Log log = new Changes.Log();
    Session session = authenticate(bearer);
    Waiter waiter = session.waits.get(name);
    if (waiter == null) {
      throw new LockTableException(
          ProblemType.CONFLICT,
          "session " + session.id + " has no request queued for lock " + name,
          view(name));
    }
    LockState state = locks.get(name.value());
    dequeue(waiter, state, now, log);
    log.waitsEnded.add(
        new WaitRefused(
            waiter.id,
            ProblemType.CONFLICT,
            "the session withdrew this request",
            state.view(counter.last())));
    promote(state, now, log);
    return new Outcome<>(null, log.close(counter.last()));
  }

  /**
   * Takes a queued request out of line because its client went away. False when the wait had
   * already ended (granted, timed out, or dropped with its session).
   */
  public Outcome<Boolean> cancelWait(long waiterId) {
    Instant now = clock.instant();
    Changes.Log log = new Changes.Log();
    Waiter waiter = waiters.get(waiterId);
    if (waiter == null) {
      return new Outcome<>(false, log.close(counter.last()));
    }
    LockState state = locks.get(waiter.lock.value());
    dequeue(waiter, state, now, log);
    promote(state, now, log);
    return new Outcome<>(true, log.close(counter.last()));
  }

  /** Expires every session, wait and lock-delay whose time has come. The expiry timer calls it. */
  public Outcome<Void> expireDue() {
    Instant now = clock.instant();
    Changes.Log log = new Changes.Log();
    expireDue(now, log);
    return new Outcome<>(null, log.close(counter.last()));
  }

  /** Whether {@link #expireDue()} has anything to do now; cheap enough for every tick. */
  public boolean hasDue() {
    return nextDeadline().map(due -> !due.isAfter(clock.instant())).orElse(false);
  }

  /** The earliest instant at which {@link #expireDue()} has something to do, if any. */
  public Optional<Instant> nextDeadline() {
    Instant next = null;
    if (!sessionsByExpiry.isEmpty()) {
      next = sessionsByExpiry.first().expiresAt;
    }
    if (!waitersByDeadline.isEmpty()) {
      next = earlier(next, waitersByDeadline.first().deadline);
    }
    if (!delayedLocks.isEmpty()) {
      next = earlier(next, delayedLocks.first().blockedUntil);
    }
    return Optional.ofNullable(next);
  }

  // ---------------------------------------------------------------- reads

  public LockView view(LockName name) {
    LockState state = locks.get(name.value());
    return state == null ? LockState.freeView(name, counter.last()) : state.view(counter.last());
  }

  /** Locks that are held or have waiters, whose names start with {@code prefix}, by name. */
  public LockList list(String prefix) {
    String from = prefix == null ? "" : prefix;
    List<LockView> views = new ArrayList<>();
    for (LockState state : locks.tailMap(from, true).values()) {
      if (!state.name.value().startsWith(from)) {
        break;
      }
      if (state.visible()) {
        views.add(state.view(counter.last()));
      }
    }
    return new LockList(views, counter.last());
  }

  /** Whether {@code token} is the fencing token of a current grant of the lock. */
  public boolean fencingValid(LockName name, long token) {
    LockState state = locks.get(name.value());
    return state != null
        && state.holders.values().stream().anyMatch(g -> g.fencingToken() == token);
  }

  public long revision() {
    return counter.last();
  }

  public int sessionCount() {
    return sessions.size();
  }

  public int waiterCount() {
    return waiters.size();
  }

  /** Current holds: one per (lock, holding session), so a lock shared by three counts three. */
  public long holdCount() {
    return holds;
  }

  // ---------------------------------------------------------------- internals

  /**
   * Processes what is due in the order it fell due, not by kind: a sweep that runs late must not
   * grant a waiter whose own wait had already run out before the holder expired. On a tie the wait
   * ends first.
   */
  private void expireDue(Instant now, Changes.Log log) {
    while (true) {
      Instant waitDue = waitersByDeadline.isEmpty() ? null : waitersByDeadline.first().deadline;
      Instant sessionDue = sessionsByExpiry.isEmpty() ? null : sessionsByExpiry.first().expiresAt;
      Instant delayDue = delayedLocks.isEmpty() ? null : delayedLocks.first().blockedUntil;
      Instant next = earlier(earlier(earlier(null, waitDue), sessionDue), delayDue);
      if (next == null || next.isAfter(now)) {
        return;
      }
      if (next.equals(waitDue)) {
        endWait(waitersByDeadline.first(), next, now, log);
      } else if (next.equals(sessionDue)) {
        endSession(sessionsByExpiry.first(), true, next, now, log);
      } else {
        promote(delayedLocks.first(), next, now, log);
      }
    }
  }

  private void endWait(Waiter waiter, Instant at, Instant now, Changes.Log log) {
    LockState state = locks.get(waiter.lock.value());
    Duration waited = Duration.between(waiter.since, waiter.deadline);
    dequeue(waiter, state, now, log);
    log.waitsEnded.add(
        new WaitRefused(
            waiter.id,
            ProblemType.CONFLICT,
            "not granted within the wait (" + waited + "): " + whyNotGranted(state, at),
            state.view(counter.last())));
    promote(state, at, now, log);
  }

  private void endSession(Session session, boolean expired, Instant now, Changes.Log log) {
    endSession(session, expired, now, now, log);
  }

  private void endSession(
      Session session, boolean expired, Instant at, Instant now, Changes.Log log) {
    sessions.remove(session.id);
    sessionsByExpiry.remove(session);
    LinkedHashSet<LockState> touched = new LinkedHashSet<>();
    for (LockName name : session.held) {
      LockState state = locks.get(name.value());
      Grant grant = state.holders.remove(session.id);
      holds--;
      log.grantRemoved(grant);
      event(
          log,
          expired ? EventKind.EXPIRED : EventKind.RELEASED,
          name,
          session.id,
          grant.mode(),
          grant.fencingToken(),
          now);
      if (expired && !session.lockDelay.isZero()) {
        delay(state, session.expiresAt.plus(session.lockDelay));
        log.delaysSet.add(new LockDelay(name, state.blockedUntil));
      }
      touched.add(state);
    }
    session.held.clear();
    for (Waiter waiter : List.copyOf(session.waits.values())) {
      LockState state = locks.get(waiter.lock.value());
      dequeue(waiter, state, now, log);
      log.waitsEnded.add(
          new WaitRefused(
              waiter.id,
              ProblemType.CONFLICT,
              expired
                  ? "the session expired while waiting"
                  : "the session was closed while waiting",
              state.view(counter.last())));
      touched.add(state);
    }
    if (expired) {
      event(log, EventKind.SESSION_EXPIRED, null, session.id, null, null, now);
    }
    log.sessionsEnded.add(session.id);
    for (LockState state : touched) {
      promote(state, at, now, log);
    }
  }

  private void promote(LockState state, Instant now, Changes.Log log) {
    promote(state, now, now, log);
  }

  /**
   * Grants queue heads in order for as long as they are compatible with the holders. {@code at} is
   * the moment the decision belongs to: in a late expiry sweep, the instant the expiry fell due, so
   * that lock-delay and waits are judged as if the sweep had run on time.
   */
  private void promote(LockState state, Instant at, Instant now, Changes.Log log) {
    if (state.delayedAt(at)) {
      return;
    }
    if (state.blockedUntil != null) {
      delayedLocks.remove(state);
      state.blockedUntil = null;
    }
    Iterator<Waiter> line = state.queue.iterator();
    while (line.hasNext()) {
      Waiter head = line.next();
      if (!state.admits(head.mode)) {
        break; // strict FIFO: nobody passes a waiting head, so writers do not starve
      }
      line.remove();
      waiters.remove(head.id);
      waitersByDeadline.remove(head);
      head.session.waits.remove(state.name);
      Grant grant = grant(state, head.session, head.mode, head.owner, now, log);
      log.waitsEnded.add(new WaitGranted(head.id, grant));
    }
    if (state.idle()) {
      locks.remove(state.name.value());
    }
  }

  private Grant grant(
      LockState state, Session session, LockMode mode, String owner, Instant now, Changes.Log log) {
    long token = counter.next();
    Grant grant = new Grant(state.name, session.id, mode, owner, token, now);
    state.holders.put(session.id, grant);
    session.held.add(state.name);
    holds++;
    log.grantsAdded.add(grant);
    log.events.add(
        new LockEvent(
            token,
            EventKind.ACQUIRED,
            state.name.value(),
            session.id,
            mode.wireName(),
            token,
            now,
            owner));
    return grant;
  }

  private void dequeue(Waiter waiter, LockState state, Instant now, Changes.Log log) {
    state.queue.remove(waiter);
    waiters.remove(waiter.id);
    waitersByDeadline.remove(waiter);
    waiter.session.waits.remove(waiter.lock);
    event(log, EventKind.DEQUEUED, waiter.lock, waiter.session.id, waiter.mode, null, now);
  }

  private void delay(LockState state, Instant until) {
    if (state.blockedUntil != null) {
      delayedLocks.remove(state);
      if (state.blockedUntil.isAfter(until)) {
        until = state.blockedUntil;
      }
    }
    state.blockedUntil = until;
    delayedLocks.add(state);
  }

  private void event(
      Changes.Log log,
      EventKind kind,
      LockName lock,
      String session,
      LockMode mode,
      Long fencingToken,
      Instant now) {
    log.events.add(
        new LockEvent(
            counter.next(),
            kind,
            lock == null ? null : lock.value(),
            session,
            mode == null ? null : mode.wireName(),
            fencingToken,
            now));
  }

  private LockState stateOf(LockName name) {
    return locks.computeIfAbsent(name.value(), n -> new LockState(name));
  }

  private Outcome<AcquireResult> conflict(LockState state, String reason, Changes.Log log) {
    return new Outcome<>(
        new Conflict(state.view(counter.last()), reason), log.close(counter.last()));
  }

  private String whyNotGranted(LockState state, Instant now) {
    if (state.delayedAt(now)) {
      return "lock-delay of an expired holder's session until " + state.blockedUntil;
    }
    if (!state.holders.isEmpty()) {
      return "held "
          + state.heldMode().orElseThrow().wireName()
          + " by "
          + state.holders.size()
          + " session(s)"
          + (state.queue.isEmpty() ? "" : ", " + state.queue.size() + " waiting ahead");
    }
    return state.queue.size() + " request(s) waiting ahead";
  }

  private static int positionOf(LockState state, Waiter waiter) {
    int position = 1;
    for (Waiter w : state.queue) {
      if (w == waiter) {
        return position;
      }
      position++;
    }
    throw new IllegalStateException("waiter " + waiter.id + " is not in its queue");
  }

  /** The session named by the bearer token, or 401. */
  private Session authenticate(String bearer) {
    SessionToken token =
        SessionToken.parse(bearer)
            .orElseThrow(
                () ->
                    new LockTableException(
                        ProblemType.UNAUTHORIZED,
                        "a session token is required: Authorization: Bearer <token>"));
    Session session = live(token.sessionId());
    if (session == null || !token.matches(session.tokenHash)) {
      throw new LockTableException(
          ProblemType.UNAUTHORIZED,
          "unknown session token (the session expired, was deleted, or the token is wrong)");
    }
    return session;
  }

  /** The session {@code sessionId} when the token is its own: else 401, 403 or 404. */
  private Session authorize(String sessionId, String bearer) {
    SessionToken token =
        SessionToken.parse(bearer)
            .orElseThrow(
                () ->
                    new LockTableException(
                        ProblemType.UNAUTHORIZED,
                        "a session token is required: Authorization: Bearer <token>"));
    Session target = live(sessionId);
    if (target == null) {
      throw new LockTableException(
          ProblemType.NOT_FOUND,
          "no session " + sessionId + " (it expired, was deleted, or never existed)");
    }
    if (!token.sessionId().equals(sessionId)) {
      Session own = live(token.sessionId());
      if (own != null && token.matches(own.tokenHash)) {
        throw new LockTableException(
            ProblemType.FORBIDDEN,
            "the token belongs to another session; a session acts only for itself");
      }
      throw new LockTableException(ProblemType.UNAUTHORIZED, "unknown session token");
    }
    if (!token.matches(target.tokenHash)) {
      throw new LockTableException(
          ProblemType.UNAUTHORIZED, "wrong token for session " + sessionId);
    }
    return target;
  }

  /** The session if it exists and its TTL has not passed; reaping may lag, this does not. */
  private Session live(String sessionId) {
    Session session = sessions.get(sessionId);
    return session != null && session.expiresAt.isAfter(clock.instant()) ? session : null;
  }

  private static void checkText(String what, String text, int maxLength) {
    if (text == null) {
      return;
    }
    if (text.length() > maxLength) {
      throw badRequest(what + " is longer than " + maxLength + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        throw badRequest(what + " has a control character at index " + i);
      }
    }
  }

  private static LockTableException badRequest(String detail) {
    return new LockTableException(ProblemType.BAD_REQUEST, detail);
  }

  private static Instant earlier(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || !b.isBefore(a) ? a : b;
  }
}
