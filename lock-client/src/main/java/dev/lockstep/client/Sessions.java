package dev.lockstep.client;

import dev.lockstep.api.SessionCreated;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client's one session: opened on first need, kept alive at a quarter of its TTL, and watched
 * through Chubby's states. Any call of the session that fails without an answer (refused, timed
 * out, a 5xx) puts it in jeopardy at once, and while in jeopardy keep-alives are retried with a
 * short back-off (100 ms doubling to {@link KeepAliveTimer#RETRY_MAX}), so that it is live again
 * within a retry of the server answering. The TTL is measured from the moment the last keep-alive
 * that got through was <em>sent</em>, so "lost" is declared only when the server has certainly
 * expired the session; between the first failure and then, the session is in jeopardy. Time comes
 * from an injected {@link Clock} so that this rule is unit-tested with a fake one.
 */
final class Sessions implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Sessions.class.getName());

  /** A live session's credentials. */
  record Live(String id, String token) {}

  /** What a change of state tells the listeners, run outside the lock; {@code NOTHING} if none. */
  private static final Runnable NOTHING = () -> {};

  private final SessionCalls http;
  private final Duration ttl;
  private final Optional<String> name;
  private final Clock clock;
  private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();

  private SessionState state = SessionState.NONE;
  private Live current;

  /** When the last keep-alive (or the open) that got through was sent. */
  private Instant confirmedSent;

  private final KeepAliveTimer keepAlives;

  /** Why the session was lost, for the refusals that follow. */
  private String lostBecause = "";

  Sessions(
      SessionCalls http,
      Duration ttl,
      Optional<String> name,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this.http = http;
    this.ttl = ttl;
    this.name = name;
    this.keepAlives = new KeepAliveTimer(scheduler, ttl, this::keepAliveOnce, this::state);
    this.clock = clock;
  }

  /**
   * The session-loss rule, written only here: the lock service's own 401 (it does not know the
   * token) or 404 (no such session) means the session is gone. A 404 that is not the service's
   * problem+json (the container's page while the application deploys) reaches the client with
   * status 0 (see {@code LockHttp}), so a restarting server loses no session.
   */
  static boolean meansLost(ServerException e) {
    return e.status() == 401 || e.status() == 404;
  }

  /** Marks session {@code id} lost when {@code e} says the server no longer has it; whether so. */
  boolean lostWith(String id, ServerException e) {
    if (!meansLost(e)) {
      if (e.status() == 0 || e.status() >= 500) {
        jeopardize(id);
      }
      return false;
    }
    markLost(id);
    return true;
  }

  /**
   * A call of session {@code id} got no answer (refused, timed out) or a 5xx: jeopardy at once, and
   * a keep-alive soon, rather than at the next quarter of the TTL.
   */
  void jeopardize(String id) {
    Runnable notify = NOTHING;
    synchronized (this) {
      if (current != null && current.id().equals(id) && state == SessionState.LIVE) {
        notify = moveTo(SessionState.JEOPARDY);
        keepAlives.retryNow();
      }
    }
    notify.run();
  }

  void addListener(SessionListener listener) {
    listeners.add(listener);
  }

  /**
   * The live session, opened now if there is none yet. A session in jeopardy, lost or closed is
   * refused here, locally, without any HTTP call.
   */
  Live live() {
    Runnable notify;
    Live live;
    SessionUnavailableException refusal = null;
    synchronized (this) {
      notify = checkClock();
      switch (state) {
        case NONE -> notify = open();
        case LIVE -> {}
        case JEOPARDY ->
            refusal =
                refused(
                    "in jeopardy: keep-alives are failing and its locks" + " may already be lost");
        case LOST ->
            refusal =
                refused(
                    "lost: " + lostBecause + "; call LockClient.newSession() to start a new one");
        case CLOSED -> refusal = refused("closed with the client");
      }
      live = current;
    }
    // Listeners hear of a loss found here (the clock ran out before the keep-alive thread
    // noticed) before the caller hears of the refusal.
    notify.run();
    if (refusal != null) {
      throw refusal;
    }
    return live;
  }

  /** The state of session {@code id}: an older session than the current one is LOST. */
  SessionState stateOf(String id) {
    SessionState now = state();
    synchronized (this) {
      if (current == null || !current.id().equals(id)) {
        return state == SessionState.CLOSED ? SessionState.CLOSED : SessionState.LOST;
      }
    }
    return now;
  }

  SessionState state() {
    Runnable notify;
    SessionState now;
    synchronized (this) {
      notify = checkClock();
      now = state;
    }
    notify.run();
    return now;
  }

  synchronized Optional<String> currentId() {
    return Optional.ofNullable(current).map(Live::id);
  }

  /** The server said the session is gone (401/404 to one of its calls). */
  void markLost(String id) {
    Runnable notify = NOTHING;
    synchronized (this) {
      if (current != null && current.id().equals(id) && state != SessionState.CLOSED) {
        notify = lose(DELETED);
      }
    }
    notify.run();
  }

  /** Leaves a lost (or jeopardized) session behind; the next call that needs one opens another. */
  void renew() {
    Live old;
    Runnable notify = NOTHING;
    synchronized (this) {
      if (state == SessionState.CLOSED) {
        throw refused("closed with the client");
      }
      old = state == SessionState.JEOPARDY ? current : null;
      if (state == SessionState.LIVE) {
        return;
      }
      keepAlives.stop();
      if (state == SessionState.JEOPARDY) {
        notify = lose("left behind by LockClient.newSession() while in jeopardy");
      }
      current = null;
      state = SessionState.NONE;
    }
    notify.run();
    if (old != null) {
      closeQuietly(old);
    }
  }

  @Override
  public void close() {
    Live closing;
    Runnable notify;
    synchronized (this) {
      if (state == SessionState.CLOSED) {
        return;
      }
      closing = state == SessionState.LIVE || state == SessionState.JEOPARDY ? current : null;
      keepAlives.stop();
      notify = moveTo(SessionState.CLOSED);
    }
    if (closing != null) {
      closeQuietly(closing);
    }
    notify.run();
  }

  // ------------------------------------------------------------------ internals

  /** Opens a session; returns the notification of NONE to LIVE, to run outside the lock. */
  private Runnable open() {
    Instant sent = clock.instant();
    SessionCreated created = http.openSession(ttl, name);
    current = new Live(created.id(), created.token());
    confirmedSent = sent;
    Runnable opened = moveTo(SessionState.LIVE);
    keepAlives.startLive();
    return opened;
  }

  /** One keep-alive; package-private so that the unit test drives keep-alives by hand. */
  void keepAliveOnce() {
    Live live;
    synchronized (this) {
      if (state != SessionState.LIVE && state != SessionState.JEOPARDY) {
        return;
      }
      live = current;
    }
    Instant sent = clock.instant();
    Runnable notify;
    try {
      http.keepAlive(live.id(), live.token());
      synchronized (this) {
        if (live != current || state == SessionState.CLOSED || state == SessionState.LOST) {
          return;
        }
        confirmedSent = sent;
        notify = moveTo(SessionState.LIVE);
      }
    } catch (ServerException e) {
      synchronized (this) {
        if (live != current || state == SessionState.CLOSED || state == SessionState.LOST) {
          return;
        }
        if (meansLost(e)) {
          notify = lose(DELETED);
        } else {
          notify = checkClock();
          if (state == SessionState.LIVE) {
            notify = moveTo(SessionState.JEOPARDY);
          }
        }
      }
      LOG.log(Level.FINE, "keep-alive failed", e);
    } catch (RuntimeException e) {
      synchronized (this) {
        if (live != current || state == SessionState.CLOSED || state == SessionState.LOST) {
          // The client closed (and its HTTP client with it) while this keep-alive was in
          // flight: the session is gone on purpose, nothing went wrong.
          LOG.log(Level.FINE, "keep-alive cut off by close", e);
          return;
        }
      }
      LOG.log(Level.WARNING, "keep-alive failed unexpectedly", e);
      return;
    }
    notify.run();
  }

  /** LIVE or JEOPARDY become LOST once the TTL has passed since the last confirmed keep-alive. */
  private Runnable checkClock() {
    if ((state == SessionState.LIVE || state == SessionState.JEOPARDY)
        && Duration.between(confirmedSent, clock.instant()).compareTo(ttl) >= 0) {
      return lose("its TTL (" + ttl + ") passed without a keep-alive getting through");
    }
    return NOTHING;
  }

  private static final String DELETED =
      "the server no longer has it (it answered that the session is gone: expired there, or"
          + " deleted)";

  private Runnable lose(String because) {
    lostBecause = because;
    return moveTo(SessionState.LOST);
  }

  private Runnable moveTo(SessionState next) {
    SessionState previous = state;
    if (previous == next) {
      return NOTHING;
    }
    state = next;
    if (next == SessionState.LOST || next == SessionState.CLOSED) {
      keepAlives.stop();
    }
    String id = current == null ? null : current.id();
    return () -> {
      for (SessionListener listener : listeners) {
        try {
          listener.stateChanged(id, previous, next);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "session listener failed", e);
        }
      }
    };
  }

  private void closeQuietly(Live live) {
    try {
      http.closeSession(live.id(), live.token());
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "closing session " + live.id(), e);
    }
  }

  private SessionUnavailableException refused(String why) {
    return new SessionUnavailableException(state, "the lock client's session is " + why);
  }

  /** When a keep-alive is due (TTL/8 since the last), its sending instant: a batch carries it. */
  synchronized Optional<Instant> keepAliveDue(String token) {
    boolean due =
        state == SessionState.LIVE
            && current.token().equals(token)
            && Duration.between(confirmedSent, clock.instant()).compareTo(ttl.dividedBy(8)) >= 0;
    return due ? Optional.of(clock.instant()) : Optional.empty();
  }

  /** A keep-alive sent at {@code sent} rode in a batch and got through: the timer starts over. */
  synchronized void keptAliveBy(String token, Instant sent) {
    if (state == SessionState.LIVE && current.token().equals(token)) {
      confirmedSent = sent.isAfter(confirmedSent) ? sent : confirmedSent;
      keepAlives.startLive();
    }
  }
}
