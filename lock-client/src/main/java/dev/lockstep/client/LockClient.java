package dev.lockstep.client;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.cache.LockCache;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The lock client: one session per client, created on first need and kept alive in the background;
 * acquire and release; a cache of lock states kept current by the event stream; watches; pounces.
 * Thread-safe; create one per process and close it on shutdown (which deletes its session,
 * releasing its locks).
 *
 * <pre>{@code
 * try (LockClient locks = LockClient.create(LockClientConfig.connect(URI.create("http://localhost:8080")));
 *      LockHandle job = locks.acquire("jobs/nightly")) {
 *   runNightly(job.fencingToken());
 * }
 * }</pre>
 */
public final class LockClient implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LockClient.class.getName());

  /** The longest wait one request asks for; the server's default maximum. */
  private static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

  private final LockClientConfig config;
  private final LockServer launched;
  private final Client http;
  private final Client streamHttp;
  private final LockHttp calls;
  private final ScheduledExecutorService scheduler;
  private final Sessions sessions;
  private final LockCache cache;
  private final Watches watches = new Watches();
  private final LocalTurns turns = new LocalTurns();
  private EventStream stream;

  private LockClient(LockClientConfig config, LockServer launched, URI url) {
    this.config = config;
    this.launched = launched;
    this.http = client(config, 0);
    // The stream reads with a timeout of three server keep-alive intervals (10 s each).
    this.streamHttp = client(config, 30);
    this.calls = new LockHttp(http, url);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lockstep-keep-alive");
              t.setDaemon(true);
              return t;
            });
    this.sessions =
        new Sessions(calls, config.sessionTtl(), config.sessionName().orElse(null), scheduler);
    this.cache = config.cacheEnabled() ? new LockCache(config.streamPrefix()) : null;
  }

  /**
   * Connects to the configured server, or starts one and waits until it is ready (blocking, up to 3
   * minutes). No session is opened yet; with the cache on, the cache is loaded (one HTTP call) and
   * the event stream opened.
   */
  public static LockClient create(LockClientConfig config) {
    LockServer launched = config.launch().map(ServerLauncher::start).orElse(null);
    URI url = launched != null ? launched.url() : config.url().orElseThrow();
    LockClient client = new LockClient(config, launched, url);
    if (client.cache != null) {
      client.startStream();
    }
    return client;
  }

  private static Client client(LockClientConfig config, int readTimeoutSeconds) {
    ClientBuilder builder = ClientBuilder.newBuilder().connectTimeout(5, TimeUnit.SECONDS);
    if (readTimeoutSeconds > 0) {
      builder.readTimeout(readTimeoutSeconds, TimeUnit.SECONDS);
    }
    config.providers().forEach(builder::register);
    return builder.build();
  }

  // ------------------------------------------------------------------ acquire and release

  /** Acquires exclusively, waiting as long as it takes. Blocks. */
  public LockHandle acquire(String name) {
    return acquire(name, LockMode.EXCLUSIVE);
  }

  /** Acquires in {@code mode}, waiting as long as it takes (in waits of 5 minutes). Blocks. */
  public LockHandle acquire(String name, LockMode mode) {
    while (true) {
      Optional<LockHandle> handle = tryAcquire(name, mode, LONGEST_WAIT);
      if (handle.isPresent()) {
        return handle.get();
      }
    }
  }

  /** Tries exclusively for up to {@code timeout} ({@code Duration.ZERO}: once). Blocks. */
  public Optional<LockHandle> tryAcquire(String name, Duration timeout) {
    return tryAcquire(name, LockMode.EXCLUSIVE, timeout);
  }

  /**
   * Tries to acquire for up to {@code timeout}, waiting in the lock's FIFO queue; blocks. Checks
   * locally first, with no HTTP call: the name, the caller's identity (else {@link
   * NoCallerIdentityException}) and the session (else {@link SessionUnavailableException}; a
   * session is opened on first need). Empty when the lock was not granted within the timeout;
   * {@link ServerException} when the server refused or could not be reached. Threads of one client
   * take turns: while one handle of a name is out, another thread's acquire of that name in the
   * same client waits for it (the session holds a lock only once); the thread that holds it gets
   * the same grant again at once.
   */
  public Optional<LockHandle> tryAcquire(String name, LockMode mode, Duration timeout) {
    checkName(name);
    Objects.requireNonNull(mode, "mode");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    String owner = config.owner().get();
    if (owner == null || owner.isBlank()) {
      throw new NoCallerIdentityException();
    }
    Sessions.Live session = sessions.live();
    long start = System.nanoTime();
    LocalTurns.Ticket turn;
    try {
      turn = turns.take(name, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LockstepException("interrupted while waiting for lock " + name, e);
    }
    if (turn == null) {
      return Optional.empty(); // another thread of this client holds it for the whole timeout
    }
    Duration left = timeout.minusNanos(System.nanoTime() - start);
    boolean granted = false;
    try {
      GrantView grant =
          calls.acquire(
              session.token(), name, mode, owner, left.isNegative() ? Duration.ZERO : left);
      granted = true;
      return Optional.of(new LockHandle(this, grant, session, turn::end));
    } catch (LockNotGrantedException e) {
      return Optional.empty();
    } catch (ServerException e) {
      if (e.status() == 401) {
        sessions.markLost(session.id());
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
      if (e.status() == 401) {
        sessions.markLost(handle.sessionId());
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

  void withdrawQuietly(String name) {
    try {
      String id = sessions.currentId();
      if (id != null && sessions.stateOf(id) == SessionState.LIVE) {
        calls.withdraw(sessions.live().token(), name);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "withdrawing a queued request for " + name, e);
    }
  }

  // ------------------------------------------------------------------ status, watch, pounce

  /**
   * The lock's state: from the cache when it is on and current (no HTTP call, no session needed),
   * else one HTTP read.
   */
  public LockView status(String name) {
    checkName(name);
    if (cache != null) {
      Optional<LockView> cached = cache.status(name);
      if (cached.isPresent()) {
        return cached.get();
      }
    }
    return calls.view(name);
  }

  /** Whether anyone holds the lock, as {@link #status} knows it. */
  public boolean isHeld(String name) {
    return LockView.HELD.equals(status(name).state());
  }

  /** Whether status queries are answered from the cache right now. */
  public boolean isCacheCurrent() {
    return cache != null && cache.isCurrent();
  }

  /**
   * Calls {@code listener} for every change of the lock {@code name}, or of every lock under it
   * when it ends in '/' or is empty. All watches share the client's one event stream; the name must
   * lie under the configured stream prefix.
   */
  public Subscription watch(String nameOrPrefix, LockListener listener) {
    Objects.requireNonNull(listener, "listener");
    boolean prefix = nameOrPrefix.isEmpty() || nameOrPrefix.endsWith("/");
    if (!prefix) {
      checkName(nameOrPrefix);
    }
    if (!nameOrPrefix.startsWith(config.streamPrefix())) {
      throw new IllegalArgumentException(
          nameOrPrefix + " is outside the client's stream prefix '" + config.streamPrefix() + "'");
    }
    Subscription subscription = watches.add(nameOrPrefix, !prefix, listener);
    startStream();
    return subscription;
  }

  /**
   * Waits in line for the lock on a thread of its own and calls {@code listener} the instant it is
   * granted; queues again after a dropped connection or a server restart. Closing the returned
   * subscription cancels the pounce and withdraws its place in line.
   */
  public Subscription pounce(String name, LockMode mode, PounceListener listener) {
    checkName(name);
    Pounce pounce = new Pounce(this, name, mode, listener);
    pounce.start();
    return pounce;
  }

  // ------------------------------------------------------------------ session

  /** The state of the client's current session; no HTTP call. */
  public SessionState sessionState() {
    return sessions.state();
  }

  /** The current session's id, if one was opened. */
  public Optional<String> sessionId() {
    return Optional.ofNullable(sessions.currentId());
  }

  SessionState sessionStateOf(String sessionId) {
    return sessions.stateOf(sessionId);
  }

  /** Calls {@code listener} at each change of session state (live, jeopardy, lost, closed). */
  public void onSessionStateChange(SessionListener listener) {
    sessions.addListener(listener);
  }

  /**
   * Leaves a lost (or jeopardized) session behind; the next acquire opens a new one. Handles of the
   * old session stay lost.
   */
  public void newSession() {
    sessions.renew();
  }

  /** The server this client talks to. */
  public Optional<URI> launchedServer() {
    return Optional.ofNullable(launched).map(LockServer::url);
  }

  /**
   * Deletes the session (its locks are released on the server), stops the stream and the
   * keep-alives, and stops a server this client launched. Safe to call twice.
   */
  @Override
  public void close() {
    sessions.close();
    synchronized (this) {
      if (stream != null) {
        stream.close();
      }
    }
    scheduler.shutdownNow();
    http.close();
    streamHttp.close();
    if (launched != null) {
      launched.close();
    }
  }

  // ------------------------------------------------------------------ internals

  private synchronized void startStream() {
    if (stream != null) {
      return;
    }
    long after = -1;
    if (cache != null) {
      cache.load(calls.list(config.streamPrefix()));
      after = cache.revision();
    } else {
      // Resume from the revision of now, not "live from whenever the stream connects": a watch
      // must see the changes made after watch() returned, while its stream was connecting.
      try {
        after = calls.list(config.streamPrefix()).revision();
      } catch (ServerException e) {
        LOG.log(Level.FINE, "reading the revision to watch from; watching live from connect", e);
      }
    }
    stream =
        new EventStream(
            new LockHttp(streamHttp, calls.base()).events(), config.streamPrefix(), after);
    if (cache != null) {
      stream.addListener(
          new EventStream.Listener() {
            @Override
            public void connected(long resumedAfter) {
              cache.streaming(true);
            }

            @Override
            public void event(dev.lockstep.api.LockEvent event) {
              cache.apply(event);
            }

            @Override
            public void reset(long revision) {
              cache.invalidate();
              try {
                cache.load(calls.list(config.streamPrefix()));
              } catch (RuntimeException e) {
                LOG.log(Level.FINE, "reloading the cache after a reset", e);
              }
            }

            @Override
            public void disconnected() {
              cache.streaming(false);
            }
          });
    }
    stream.addListener(watches);
    stream.start();
  }

  private static void checkName(String name) {
    Optional<String> problem =
        name == null ? Optional.of("lock name is required") : LockName.problemWith(name);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
  }
}
