package dev.lockstep.client;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.LockMode;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What acquiring and releasing need: the session, the HTTP calls, the wait in line, the local
 * turns, the holds of this client, and who the caller is. The {@link LockClient} façade, its
 * handles and its pounces all go through this one core, so that a handle or a pounce depends on the
 * machinery, not on the façade that hands it out. Names reach it checked by the façade.
 */
final class ClientCore implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ClientCore.class.getName());

  /** The longest wait a pounce asks for in one go; a longer one is a series of these. */
  static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

  private final SessionRequests calls;
  private final Sessions sessions;
  private final Supplier<String> owner;
  private final LocalTurns turns = new LocalTurns();
  private final WaitInLine line;

  /** The grant each name is held with by this client, while some handle of it is open. */
  private final Map<String, LockHold> holds = new ConcurrentHashMap<>();

  ClientCore(SessionRequests calls, Sessions sessions, Supplier<String> owner) {
    this.calls = calls;
    this.sessions = sessions;
    this.owner = owner;
    this.line =
        new WaitInLine(
            calls,
            id -> {
              SessionState state = sessions.stateOf(id);
              return state == SessionState.LOST || state == SessionState.CLOSED;
            });
  }

  /**
   * See {@link LockClient#tryAcquire(String, LockMode, Duration)}; {@code name} is checked. An
   * empty {@code timeout} waits as long as it takes.
   *
   * @throws InterruptedException when interrupted while waiting; the request is withdrawn
   */
  AcquireResult acquireInterruptibly(String name, LockMode mode, Optional<Duration> timeout)
      throws InterruptedException {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isPresent() && timeout.get().isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout.get());
    }
    String caller = owner.get();
    if (caller == null || caller.isBlank()) {
      throw new NoCallerIdentityException();
    }
    Sessions.Live session = sessions.live();
    long start = System.nanoTime();
    Optional<LocalTurns.Ticket> taken = turns.take(name, timeout);
    if (taken.isEmpty()) {
      // another thread of this client holds it for the whole timeout
      return AcquireResult.notGranted(Optional.empty());
    }
    LocalTurns.Ticket turn = taken.get();
    if (turn.reentered()) {
      LockHold held = holds.get(name);
      if (held != null && held.session().id().equals(session.id())) {
        return AcquireResult.granted(nested(held, name, mode));
      }
      // Held by this thread under a session since lost (newSession() started another): that
      // grant is gone, and this acquire asks the server for a new one, keeping the turn.
      if (held != null) {
        held.supersede();
      }
    }
    Optional<Duration> left =
        timeout.map(t -> t.minusNanos(System.nanoTime() - start)).map(ClientCore::notNegative);
    Optional<GrantView> grant;
    try {
      grant = line.await(session, name, mode, caller, left, turn::end);
    } catch (LockNotGrantedException e) {
      return AcquireResult.notGranted(e.view());
    } catch (ServerException e) {
      if (sessions.lostWith(session.id(), e)) {
        throw new SessionUnavailableException(
            SessionState.LOST,
            "the server no longer knows the client's session "
                + session.id()
                + " (expired there, or deleted)");
      }
      throw e;
    }
    if (grant.isEmpty()) {
      return AcquireResult.notGranted(Optional.empty());
    }
    LockHold hold = new LockHold(grant.get(), session, () -> endHold(name, turn));
    holds.put(name, hold);
    return AcquireResult.granted(new LockHandle(this, hold));
  }

  /** {@link #acquireInterruptibly}, for the calls that do not throw InterruptedException. */
  AcquireResult tryAcquire(String name, LockMode mode, Optional<Duration> timeout) {
    try {
      return acquireInterruptibly(name, mode, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LockInterruptedException(
          "interrupted while waiting for lock " + name + "; its request was withdrawn", e);
    }
  }

  /** A nested acquire by the thread that holds the name's turn: one more handle of its grant. */
  private LockHandle nested(LockHold hold, String name, LockMode mode) {
    if (!hold.enter()) {
      throw new IllegalStateException(
          "lock "
              + name
              + " was lost while this thread held it; release its handle before acquiring it"
              + " again");
    }
    LockMode held = LockMode.fromWire(hold.grant().mode()).orElseThrow();
    if (held == LockMode.SHARED && mode == LockMode.EXCLUSIVE) {
      hold.leave();
      throw new IllegalStateException(
          "lock "
              + name
              + " is held shared by this thread; a nested acquire cannot make it"
              + " exclusive");
    }
    return new LockHandle(this, hold);
  }

  private void endHold(String name, LocalTurns.Ticket turn) {
    holds.remove(name);
    turn.end();
  }

  /**
   * Releases the handle's lock on the server: one HTTP call (or one operation of a batch, when
   * another request of the session is in flight), none when its session is gone.
   */
  void release(LockHandle handle) {
    SessionState state = sessions.stateOf(handle.sessionId());
    if (state == SessionState.LOST || state == SessionState.CLOSED) {
      throw new LockLostException(
          "lock "
              + handle.name()
              + " was lost with session "
              + handle.sessionId()
              + " ("
              + state
              + "); the server has released it");
    }
    try {
      calls.release(handle.session().token(), handle.name());
    } catch (LockLostException e) {
      throw new LockLostException(
          "lock " + handle.name() + " was no longer held: " + e.getMessage());
    } catch (ServerException e) {
      if (sessions.lostWith(handle.sessionId(), e)) {
        throw new LockLostException(
            "lock "
                + handle.name()
                + " was lost with session "
                + handle.sessionId()
                + ", which the server no longer knows");
      }
      throw e;
    }
  }

  /** Withdraws this session's queued request for {@code name}, if any; never throws. */
  void withdrawQuietly(String name) {
    try {
      Optional<String> id = sessions.currentId();
      if (id.isPresent() && sessions.stateOf(id.get()) == SessionState.LIVE) {
        calls.withdraw(sessions.live().token(), name);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "withdrawing a queued request for " + name, e);
    }
  }

  /** The state of session {@code id}, as far as the client knows; no HTTP call. */
  SessionState sessionStateOf(String id) {
    return sessions.stateOf(id);
  }

  private static Duration notNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  @Override
  public void close() {
    line.close();
  }
}
