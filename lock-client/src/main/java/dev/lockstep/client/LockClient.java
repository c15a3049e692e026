package dev.lockstep.client;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockView;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.cache.LockCache;
import jakarta.ws.rs.client.Client;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.Lock;

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
  private final LockClientConfig config;
  private final Optional<LockServer> launched;
  private final Client http;
  private final LockHttp calls;
  private final SessionRequests requests;
  private final ScheduledExecutorService scheduler;
  private final Sessions sessions;
  private final ClientCore core;
  private final Optional<LockCache> cache;
  private final Watches watches = new Watches();
  private final SharedStream stream;

  private LockClient(LockClientConfig config, Optional<LockServer> launched, List<URI> urls) {
    this.config = config;
    this.launched = launched;
    this.http = Providers.clientBuilder(config).build();
    this.calls =
        new LockHttp(
            http,
            new ServerGroup(urls),
            LockHttp.CALL_TIMEOUT,
            LockHttp.keepAliveTimeout(config.sessionTtl()));
    this.requests = new SessionRequests(calls);
    this.scheduler = KeepAliveTimer.newScheduler();
    this.sessions =
        new Sessions(
            requests, config.sessionTtl(), config.sessionName(), scheduler, new MonotonicClock());
    requests.keepAlivesRideWith(sessions);
    this.core = new ClientCore(requests, sessions, config.owner());
    this.cache =
        config.cacheEnabled()
            ? Optional.of(new LockCache(config.streamPrefix()))
            : Optional.empty();
    this.stream =
        new SharedStream(
            calls, config.streamPrefix(), cache, watches, () -> Providers.clientBuilder(config));
  }

  /**
   * Connects to the configured server, or starts one and waits until it is ready (blocking, up to 3
   * minutes). No session is opened yet; with the cache on, the cache is loaded (one HTTP call) and
   * the event stream opened. A server this call launched is stopped again when the call fails.
   *
   * @throws LockstepException when the server could not be launched, or a Jakarta REST client or
   *     JSON-B implementation is missing (the message names the artifact to add)
   * @throws ServerException when the cache could not be loaded from the server
   */
  public static LockClient create(LockClientConfig config) {
    Optional<LockServer> launched = config.launch().map(ServerLauncher::start);
    Optional<LockClient> created = Optional.empty();
    try {
      List<URI> urls = launched.map(server -> List.of(server.url())).orElseGet(config::urls);
      created = Optional.of(new LockClient(config, launched, urls));
      if (created.get().cache.isPresent()) {
        created.get().stream.start();
      }
      return created.get();
    } catch (RuntimeException e) {
      created.ifPresentOrElse(LockClient::close, () -> launched.ifPresent(LockServer::close));
      throw e;
    }
  }

  // ------------------------------------------------------------------ acquire and release

  /**
   * Acquires exclusively, waiting as long as it takes. Blocks.
   *
   * @throws LockInterruptedException as {@link #acquire(String, LockMode)}
   * @throws SessionUnavailableException as {@link #acquire(String, LockMode)}
   * @throws ServerException as {@link #acquire(String, LockMode)}
   */
  public LockHandle acquire(String name) {
    return acquire(name, LockMode.EXCLUSIVE);
  }

  /**
   * Acquires in {@code mode}, waiting as long as it takes. Blocks: in requests of 30 s each that
   * keep the place in line (each re-sent before the server ends its wait), so that a server that
   * stops answering ends the call within a segment rather than never.
   *
   * @throws LockInterruptedException when the thread is interrupted while waiting: the request is
   *     withdrawn, the interrupt flag is set again, the lock is not granted
   * @throws SessionUnavailableException when the session is in jeopardy, lost or closed
   * @throws ServerException when the server refused, could not be reached, or did not answer
   * @throws IllegalArgumentException for an invalid name
   */
  public LockHandle acquire(String name, LockMode mode) {
    InputChecks.name(name);
    while (true) {
      Optional<LockHandle> handle = core.tryAcquire(name, mode, Optional.empty()).handle();
      if (handle.isPresent()) {
        return handle.get();
      }
    }
  }

  /**
   * {@link #acquire(String)} that throws {@link InterruptedException} when interrupted, as {@link
   * Lock#lockInterruptibly()} does; the request is withdrawn and never granted.
   *
   * @throws InterruptedException when interrupted while waiting (the flag is cleared, as usual)
   * @throws SessionUnavailableException as {@link #acquire(String, LockMode)}
   * @throws ServerException as {@link #acquire(String, LockMode)}
   */
  public LockHandle acquireInterruptibly(String name) throws InterruptedException {
    InputChecks.name(name);
    while (true) {
      Optional<LockHandle> handle =
          core.acquireInterruptibly(name, LockMode.EXCLUSIVE, Optional.empty()).handle();
      if (handle.isPresent()) {
        return handle.get();
      }
    }
  }

  /**
   * Acquires exclusively on a thread of the client's, completing with the handle once granted.
   * Cancelling the future interrupts the wait: the request is withdrawn, and a grant that comes
   * anyway is released.
   */
  public CompletableFuture<LockHandle> acquireAsync(String name) {
    InputChecks.name(name);
    return AsyncAcquire.start(name, () -> acquireInterruptibly(name));
  }

  /**
   * Tries exclusively for up to {@code timeout} ({@code Duration.ZERO}: once). Blocks, for at most
   * {@code timeout} plus 1 s, whatever the server does.
   *
   * @throws NullPointerException when {@code timeout} is null
   * @throws LockInterruptedException as {@link #tryAcquire(String, LockMode, Duration)}
   * @throws SessionUnavailableException as {@link #tryAcquire(String, LockMode, Duration)}
   * @throws ServerException as {@link #tryAcquire(String, LockMode, Duration)}
   */
  public Optional<LockHandle> tryAcquire(String name, Duration timeout) {
    return tryAcquire(name, LockMode.EXCLUSIVE, timeout);
  }

  /**
   * {@link #tryAcquire(String, LockMode, Duration)} that also tells, when the lock was not granted,
   * who held it and who waited, as the server's refusal showed them.
   *
   * @throws NullPointerException when {@code mode} or {@code timeout} is null
   * @throws LockInterruptedException as {@link #tryAcquire(String, LockMode, Duration)}
   * @throws SessionUnavailableException as {@link #tryAcquire(String, LockMode, Duration)}
   * @throws ServerException as {@link #tryAcquire(String, LockMode, Duration)}
   */
  public AcquireResult attempt(String name, LockMode mode, Duration timeout) {
    InputChecks.name(name);
    return core.tryAcquire(name, mode, Optional.of(InputChecks.timeout(timeout)));
  }

  /**
   * The lock {@code name} as a {@link Lock} (exclusive; nested {@code lock()} calls count; owned by
   * the session, so any thread may {@code unlock()}). No HTTP call until it is used.
   */
  public Lock asLock(String name) {
    InputChecks.name(name);
    return new SessionLock(this, name);
  }

  /**
   * Tries to acquire for up to {@code timeout}, waiting in the lock's FIFO queue; blocks. Checks
   * locally first, with no HTTP call: the name, the caller's identity (else {@link
   * NoCallerIdentityException}) and the session (else {@link SessionUnavailableException}; a
   * session is opened on first need). Empty when the lock was not granted within the timeout;
   * {@link ServerException} when the server refused or could not be reached. Threads of one client
   * take turns: while one handle of a name is out, another thread's acquire of that name in the
   * same client waits for it (the session holds a lock only once). The thread that holds it gets a
   * nested handle of the same grant at once, without an HTTP call; only the last of them to be
   * closed releases the lock.
   *
   * <p>Returns within {@code timeout} plus 1 s whatever the server does (the request's read timeout
   * is its wait plus 0.7 s); a request given up that way is withdrawn, and a grant that raced in is
   * released.
   *
   * @throws NullPointerException when {@code mode} or {@code timeout} is null
   * @throws IllegalArgumentException for an invalid name or a negative timeout
   * @throws LockInterruptedException when the thread is interrupted while waiting: the request is
   *     withdrawn, the interrupt flag is set again, the lock is not granted
   * @throws SessionUnavailableException when the session is in jeopardy, lost or closed
   * @throws ServerException when the server refused, could not be reached, or did not answer in
   *     time (the session is then in jeopardy)
   */
  public Optional<LockHandle> tryAcquire(String name, LockMode mode, Duration timeout) {
    InputChecks.name(name);
    return core.tryAcquire(name, mode, Optional.of(InputChecks.timeout(timeout))).handle();
  }

  // ------------------------------------------------------------------ status, watch, pounce

  /**
   * The lock's state: from the cache when it is on and current (no HTTP call, no session needed),
   * else one HTTP read.
   *
   * @throws ServerException when the cache is not current and the server cannot be read
   */
  public LockView status(String name) {
    InputChecks.name(name);
    return cache.flatMap(c -> c.status(name)).orElseGet(() -> calls.view(name));
  }

  /**
   * Whether anyone (this client or another) holds the lock, as {@link #status} knows it; compare
   * {@link LockHandle#isHeld()}, whether this client's handle holds it.
   *
   * @throws ServerException when the cache is not current and the server cannot be read
   */
  public boolean isLocked(String name) {
    return LockView.HELD.equals(status(name).state());
  }

  /**
   * Old name of {@link #isLocked(String)}, easily confused with {@link LockHandle#isHeld()}.
   *
   * @deprecated use {@link #isLocked(String)}
   */
  @Deprecated
  public boolean isHeld(String name) {
    return isLocked(name);
  }

  /** Whether status queries are answered from the cache right now. */
  public boolean isCacheCurrent() {
    return cache.map(LockCache::isCurrent).orElse(false);
  }

  /**
   * Calls {@code listener} for every change of the lock {@code name}, or of every lock under it
   * when it ends in '/' or is empty. All watches share the client's one event stream; the name must
   * lie under the configured stream prefix. The first watch of a client without the cache opens the
   * stream, reading the current revision first (one HTTP call, bounded by the call timeout).
   *
   * @throws IllegalArgumentException for a name or prefix that is not valid, or outside the prefix
   */
  public Subscription watch(String nameOrPrefix, LockListener listener) {
    InputChecks.nameOrPrefix(nameOrPrefix);
    Objects.requireNonNull(listener, "listener");
    boolean prefix = nameOrPrefix.isEmpty() || nameOrPrefix.endsWith("/");
    if (!nameOrPrefix.startsWith(config.streamPrefix())) {
      throw new IllegalArgumentException(
          nameOrPrefix + " is outside the client's stream prefix '" + config.streamPrefix() + "'");
    }
    Subscription subscription = watches.add(nameOrPrefix, !prefix, listener);
    stream.start();
    return subscription;
  }

  /**
   * Waits in line for the lock on a thread of its own and calls {@code listener} the instant it is
   * granted; queues again after a dropped connection or a server restart. Closing the returned
   * subscription cancels the pounce and withdraws its place in line.
   */
  public Subscription pounce(String name, LockMode mode, PounceListener listener) {
    InputChecks.name(name);
    Pounce pounce = new Pounce(core, name, mode, listener);
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
    return sessions.currentId();
  }

  /** Calls {@code listener} at each change of session state (live, jeopardy, lost, closed). */
  public void onSessionStateChange(SessionListener listener) {
    sessions.addListener(listener);
  }

  /**
   * Leaves a lost (or jeopardized) session behind; the next acquire opens a new one. Handles of the
   * old session stay lost. Blocks for the delete of the old session, bounded by the call timeout; a
   * failed delete is logged, not thrown.
   *
   * @throws SessionUnavailableException when the client is closed
   */
  public void newSession() {
    sessions.renew();
  }

  /** The server this client launched, if it did. */
  public Optional<URI> launchedServer() {
    return launched.map(LockServer::url);
  }

  /** The process id of the server this client launched, if it did. */
  public Optional<Long> launchedServerPid() {
    return launched.map(LockServer::pid);
  }

  /**
   * Deletes the session (its locks are released on the server), stops the stream and the
   * keep-alives, and stops a server this client launched. Safe to call twice. Blocks: the delete is
   * bounded by the call timeout (a failure is logged, not thrown), a launched server's stop by 90
   * s.
   */
  @Override
  public void close() {
    sessions.close();
    core.close();
    requests.close();
    stream.close();
    scheduler.shutdownNow();
    http.close();
    launched.ifPresent(LockServer::close);
  }
}
