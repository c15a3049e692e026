package dev.lockstep.client;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.LockMode;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What acquiring and releasing need: the session, the HTTP calls, the local turns, and who the
 * caller is. The {@link LockClient} façade, its handles and its pounces all go through this one
 * core, so that a handle or a pounce depends on the machinery, not on the façade that hands it out.
 * Names reach it checked by the façade.
 */
final class ClientCore {
  private static final Logger LOG = Logger.getLogger(ClientCore.class.getName());

  /**
   * The longest wait one request asks for, the server's default maximum: a longer wait (acquire
   * without a timeout, a pounce) is a series of these.
   */
  static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

  private final LockHttp calls;
  private final Sessions sessions;
  private final Supplier<String> owner;
  private final LocalTurns turns = new LocalTurns();

  ClientCore(LockHttp calls, Sessions sessions, Supplier<String> owner) {
    this.calls = calls;
    this.sessions = sessions;
    this.owner = owner;
  }

  /** See {@link LockClient#tryAcquire(String, LockMode, Duration)}; {@code name} is checked. */
  Optional<LockHandle> tryAcquire(String name, LockMode mode, Duration timeout) {
    Objects.requireNonNull(mode, "mode");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    String caller = owner.get();
    if (caller == null || caller.isBlank()) {
      throw new NoCallerIdentityException();
    }
    Sessions.Live session = sessions.live();
    long start = System.nanoTime();
    Optional<LocalTurns.Ticket> taken;
    try {
      taken = turns.take(name, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LockstepException("interrupted while waiting for lock " + name, e);
    }
    if (taken.isEmpty()) {
      return Optional.empty(); // another thread of this client holds it for the whole timeout
    }
    LocalTurns.Ticket turn = taken.get();
    Duration left = timeout.minusNanos(System.nanoTime() - start);
    boolean granted = false;
    try {
      GrantView grant =
          calls.acquire(
              session.token(), name, mode, caller, left.isNegative() ? Duration.ZERO : left);
      granted = true;
      return Optional.of(new LockHandle(this, grant, session, turn::end));
    } catch (LockNotGrantedException e) {
      return Optional.empty();
    } catch (ServerException e) {
      if (sessions.lostWith(session.id(), e)) {
        throw new SessionUnavailableException(
            SessionState.LOST, "the server no longer knows the client's session " + session.id());
      }
      throw e;
    } finally {
      if (!granted && !turn.reentered()) {
        turn.end(); // a re-entered turn stays with the handle that took it
      }
    }
  }

  /** Releases the handle's lock on the server: one HTTP call, none when its session is gone. */
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
}
