package dev.lockstep.lock.table;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.LockEvent;
import dev.lockstep.api.LockList;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.WaitEnded.WaitGranted;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the lock table holds in memory, and every change to it. Each change writes itself to the
 * operation's change log as it is made (grant, release, queue, dequeue, lock-delay, session end),
 * with the event it produced, so that {@link LockTable} only decides what a request comes to and
 * never edits a collection or forgets to log.
 */
final class TableState {
  final SessionRegistry sessions;
  // Sorted by name so that a prefix listing is a range, not a scan.
  private final TreeMap<String, LockState> locks = new TreeMap<>();
  private final WaitIndex waits = new WaitIndex();
  private final LockDelays delays = new LockDelays();
  private FencingCounter counter = new FencingCounter(0);
  private long holds;

  TableState(SessionRegistry sessions) {
    this.sessions = sessions;
  }

  /** Loads sessions (with their grace), grants in grant order and the delays still in force. */
  void restore(
      long savedCounter,
      List<SessionSnapshot> saved,
      List<Grant> grants,
      List<LockDelay> lockDelays,
      Instant now) {
    if (!sessions.isEmpty() || !locks.isEmpty()) {
      throw new IllegalStateException("restore needs an empty lock table");
    }
    long highest = savedCounter;
    saved.forEach(s -> sessions.restore(s, now));
    List<Grant> inGrantOrder = new ArrayList<>(grants);
    inGrantOrder.sort(Comparator.comparingLong(Grant::fencingToken));
    for (Grant g : inGrantOrder) {
      Optional<Session> session = sessions.find(g.session());
      if (session.isEmpty()) {
        continue; // its session ended in the same moment; the grant went with it
      }
      stateOf(g.lock()).holders.put(g.session(), g);
      session.get().held.add(g.lock());
      holds++;
      highest = Math.max(highest, g.fencingToken());
    }
    for (LockDelay delay : lockDelays) {
      if (delay.until().isAfter(now)) {
        delays.delay(stateOf(delay.lock()), delay.until());
      }
    }
    counter = new FencingCounter(highest);
  }

  // ---------------------------------------------------------------- reads

  Optional<LockState> lock(LockName name) {
    return Optional.ofNullable(locks.get(name.value()));
  }

  Optional<Waiter> waiter(long waiterId) {
    return waits.find(waiterId);
  }

  WaitForGraph graph() {
    return new WaitForGraph(sessions, locks);
  }

  LockView view(LockName name) {
    return lock(name).map(this::view).orElseGet(() -> LockState.freeView(name, revision()));
  }

  LockView view(LockState lock) {
    return lock.view(revision());
  }

  LockList list(String from, boolean delayed) {
    List<LockView> views = new ArrayList<>();
    for (LockState lock : locks.tailMap(from, true).values()) {
      if (!lock.name.value().startsWith(from)) {
        break;
      }
      if (lock.visible() || (delayed && lock.blockedUntil != null)) {
        views.add(view(lock));
      }
    }
    return new LockList(views, revision());
  }

  long revision() {
    return counter.last();
  }

  int waiterCount() {
    return waits.size();
  }

  long holdCount() {
    return holds;
  }

  /** The operation's answer with what it changed, the counter as it stands now. */
  <T> Outcome<T> outcome(T result, Changes.Log log) {
    return new Outcome<>(result, log.close(counter.last()));
  }

  // ---------------------------------------------------------------- holds

  /** Grants the lock to the session; the lock is taken into the table if it was not kept. */
  Grant grant(
      LockName name, Session session, LockMode mode, String owner, Instant now, Changes.Log log) {
    return grant(stateOf(name), session, mode, owner, now, log);
  }

  private Grant grant(
      LockState lock, Session session, LockMode mode, String owner, Instant now, Changes.Log log) {
    LockName name = lock.name;
    long token = counter.next();
    Grant grant = new Grant(name, session.id, mode, owner, token, now);
    lock.holders.put(session.id, grant);
    session.held.add(name);
    holds++;
    log.grantsAdded.add(grant);
    log.events.add(
        new LockEvent(
            token,
            EventKind.ACQUIRED,
            name.value(),
            session.id,
            mode.wireName(),
            token,
            now,
            owner));
    return grant;
  }

  /** Releases the session's hold and grants whoever is next. */
  Grant release(LockState lock, Session session, Instant now, Changes.Log log) {
    Grant grant = unhold(lock, session, EventKind.RELEASED, now, log);
    promote(lock, now, now, log);
    return grant;
  }

  private Grant unhold(
      LockState lock, Session session, EventKind kind, Instant now, Changes.Log log) {
    Grant grant = lock.holders.remove(session.id);
    session.held.remove(lock.name);
    holds--;
    log.grantRemoved(grant);
    event(log, kind, lock.name, session.id, grant.mode(), grant.fencingToken(), now);
    return grant;
  }

  // ---------------------------------------------------------------- waits

  Waiter enqueue(
      LockState lock,
      Session session,
      LockMode mode,
      String owner,
      String request,
      Instant now,
      Duration wait,
      Changes.Log log) {
    Waiter waiter =
        new Waiter(waits.nextId(), lock.name, session, mode, owner, now, now.plus(wait));
    waiter.request = request;
    lock.queue.add(waiter);
    event(log, EventKind.QUEUED, lock.name, session.id, mode, null, now);
    return waiter;
  }

  /** Ends the wait as refused with {@code reason}, and grants whoever is next. */
  void refuse(Waiter waiter, String reason, Instant now, Changes.Log log) {
    LockState lock = dequeue(waiter, now, log);
    log.waitsEnded.add(refusal(waiter, reason, lock));
    promote(lock, now, now, log);
  }

  /** Takes the wait out of line without an answer (its client went away). */
  void cancel(Waiter waiter, Instant now, Changes.Log log) {
    promote(dequeue(waiter, now, log), now, now, log);
  }

  private LockState dequeue(Waiter waiter, Instant now, Changes.Log log) {
    LockState lock = locks.get(waiter.lock.value());
    lock.queue.remove(waiter);
    event(log, EventKind.DEQUEUED, waiter.lock, waiter.session.id, waiter.mode, null, now);
    return lock;
  }

  private WaitRefused refusal(Waiter waiter, String reason, LockState lock) {
    return new WaitRefused(waiter.id, ProblemType.CONFLICT, reason, view(lock));
  }

  // ---------------------------------------------------------------- expiry

  /** The earliest instant at which {@link #expireDue} has something to do, if any. */
  Optional<Instant> nextDeadline() {
    return earliest(
        waits.firstDue().map(w -> w.deadline),
        sessions.firstToExpire().map(s -> s.expiresAt),
        delays.firstToEnd().map(l -> l.blockedUntil));
  }

  /**
   * Processes what is due in the order it fell due, not by kind: a sweep that runs late must not
   * grant a waiter whose own wait had already run out before the holder expired. On a tie the wait
   * ends first, then the session, then the lock-delay.
   */
  void expireDue(Instant now, Changes.Log log) {
    for (Optional<Instant> next = nextDeadline();
        next.isPresent() && !next.get().isAfter(now);
        next = nextDeadline()) {
      Instant at = next.get();
      Optional<Waiter> wait = waits.firstDue().filter(w -> w.deadline.equals(at));
      Optional<Session> session = sessions.firstToExpire().filter(s -> s.expiresAt.equals(at));
      if (wait.isPresent()) {
        endWait(wait.get(), at, now, log);
      } else if (session.isPresent()) {
        endSession(session.get(), true, at, now, log);
      } else {
        promote(delays.firstToEnd().orElseThrow(), at, now, log);
      }
    }
  }

  private void endWait(Waiter waiter, Instant at, Instant now, Changes.Log log) {
    Duration waited = Duration.between(waiter.since, waiter.deadline);
    LockState lock = dequeue(waiter, now, log);
    String why = lock.whyNotGranted(at);
    log.waitsEnded.add(
        refusal(waiter, "not granted within the wait (" + waited + "): " + why, lock));
    promote(lock, at, now, log);
  }

  /**
   * Ends the session: its holds are released (or expired, with its lock-delay), its waits refused,
   * and then each lock it touched grants whoever is next, as judged at {@code at}.
   */
  void endSession(Session session, boolean expired, Instant at, Instant now, Changes.Log log) {
    sessions.remove(session);
    LinkedHashSet<LockState> touched = new LinkedHashSet<>();
    for (LockName name : List.copyOf(session.held)) {
      LockState lock = locks.get(name.value());
      unhold(lock, session, expired ? EventKind.EXPIRED : EventKind.RELEASED, now, log);
      if (expired && !session.lockDelay.isZero()) {
        delays.delay(lock, session.expiresAt.plus(session.lockDelay));
        log.delaysSet.add(new LockDelay(name, lock.blockedUntil));
      }
      touched.add(lock);
    }
    String reason =
        expired ? "the session expired while waiting" : "the session was closed while waiting";
    for (Waiter waiter : List.copyOf(session.waits.values())) {
      LockState lock = dequeue(waiter, now, log);
      log.waitsEnded.add(refusal(waiter, reason, lock));
      touched.add(lock);
    }
    if (expired) {
      event(log, EventKind.SESSION_EXPIRED, null, session.id, null, null, now);
    }
    log.sessionsEnded.add(session.id);
    for (LockState lock : touched) {
      promote(lock, at, now, log);
    }
  }

  /**
   * Grants queue heads in order for as long as they are compatible with the holders. {@code at} is
   * the moment the decision belongs to: in a late expiry sweep, the instant the expiry fell due, so
   * that lock-delay and waits are judged as if the sweep had run on time.
   */
  private void promote(LockState lock, Instant at, Instant now, Changes.Log log) {
    if (lock.delayedAt(at)) {
      return;
    }
    delays.lift(lock);
    // Strict FIFO: the loop stops at the first head the holders do not admit.
    for (Optional<Waiter> head = lock.queue.head();
        head.isPresent() && lock.admits(head.get().mode);
        head = lock.queue.head()) {
      Waiter next = head.get();
      lock.queue.remove(next);
      Grant grant = grant(lock, next.session, next.mode, next.owner, now, log);
      next.session.requests.granted(next.request, grant.fencingToken());
      log.waitsEnded.add(new WaitGranted(next.id, grant));
    }
    if (lock.idle()) {
      locks.remove(lock.name.value());
    }
  }

  private LockState stateOf(LockName name) {
    return locks.computeIfAbsent(name.value(), n -> new LockState(name, waits));
  }

  private void event(
      Changes.Log log,
      EventKind kind,
      LockName lock,
      String session,
      LockMode mode,
      Long fencingToken,
      Instant now) {
    String lockName = lock == null ? null : lock.value();
    String modeName = mode == null ? null : mode.wireName();
    log.events.add(
        new LockEvent(counter.next(), kind, lockName, session, modeName, fencingToken, now));
  }

  @SafeVarargs
  private static Optional<Instant> earliest(Optional<Instant>... candidates) {
    return Arrays.stream(candidates).flatMap(Optional::stream).min(Comparator.naturalOrder());
  }
}
