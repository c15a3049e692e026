package dev.lockstep.client;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.cache.CacheFeed;
import dev.lockstep.client.cache.LockCache;
import dev.lockstep.client.stream.EventStream;
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

  private final LockClientConfig config;
  private final Optional<LockServer> launched;
  private final Client http;
  private final LockHttp calls;
  private final ScheduledExecutorService scheduler;
  private final Sessions sessions;
  private final ClientCore core;
  private final Optional<LockCache> cache;
  private final Watches watches = new Watches();
  private EventStream stream;

  private LockClient(LockClientConfig config, Optional<LockServer> launched, URI url) {
    this.config = config;
    this.launched = launched;
    this.http = clientBuilder(config).build();
    this.calls = new LockHttp(http, url);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lockstep-keep-alive");
              t.setDaemon(true);
              return t;
            });
    this.sessions =
        new Sessions(
            calls, config.sessionTtl(), config.sessionName(), scheduler, new MonotonicClock());
    this.core = new ClientCore(calls, sessions, config.owner());
    this.cache =
        config.cacheEnabled()
            ? Optional.of(new LockCache(config.streamPrefix()))
            : Optional.empty();
  }

  /**
   * Connects to the configured server, or starts one and waits until it is ready (blocking, up to 3
   * minutes). No session is opened yet; with the cache on, the cache is loaded (one HTTP call) and
   * the event stream opened.
   */
  public static LockClient create(LockClientConfig config) {
    Optional<LockServer> launched = config.launch().map(ServerLauncher::start);
    URI url = launched.map(LockServer::url).orElseGet(() -> config.url().orElseThrow());
    LockClient client = new LockClient(config, launched, url);
    if (client.cache.isPresent()) {
      client.startStream();
    }
    return client;
  }

  private static ClientBuilder clientBuilder(LockClientConfig config) {
    ClientBuilder builder = ClientBuilder.newBuilder().connectTimeout(5, TimeUnit.SECONDS);
    config.providers().forEach(builder::register);
    return builder;
  }

  // ------------------------------------------------------------------ acquire and release

  /** Acquires exclusively, waiting as long as it takes. Blocks. */
  public LockHandle acquire(String name) {
    return acquire(name, LockMode.EXCLUSIVE);
  }

  /** Acquires in {@code mode}, waiting as long as it takes (in waits of 5 minutes). Blocks. */
  public LockHandle acquire(String name, LockMode mode) {
    while (true) {
      Optional<LockHandle> handle = tryAcquire(name, mode, ClientCore.LONGEST_WAIT);
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
    return core.tryAcquire(name, mode, timeout);
  }

  // ------------------------------------------------------------------ status, watch, pounce

  /**
   * The lock's state: from the cache when it is on and current (no HTTP call, no session needed),
   * else one HTTP read.
   */
  public LockView status(String name) {
    checkName(name);
    return cache.flatMap(c -> c.status(name)).orElseGet(() -> calls.view(name));
  }

  /** Whether anyone holds the lock, as {@link #status} knows it. */
  public boolean isHeld(String name) {
    return LockView.HELD.equals(status(name).state());
  }

  /** Whether status queries are answered from the cache right now. */
  public boolean isCacheCurrent() {
    return cache.map(LockCache::isCurrent).orElse(false);
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
   * old session stay lost.
   */
  public void newSession() {
    sessions.renew();
  }

  /** The server this client talks to. */
  public Optional<URI> launchedServer() {
    return launched.map(LockServer::url);
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
    launched.ifPresent(LockServer::close);
  }

  // ------------------------------------------------------------------ internals

  private synchronized void startStream() {
    if (stream != null) {
      return;
    }
    long after = -1;
    if (cache.isPresent()) {
      cache.get().load(calls.list(config.streamPrefix()));
      after = cache.get().revision();
    } else {
      // Resume from the revision of now, not "live from whenever the stream connects": a watch
      // must see the changes made after watch() returned, while its stream was connecting.
      try {
        after = calls.list(config.streamPrefix()).revision();
      } catch (ServerException e) {
        LOG.log(Level.FINE, "reading the revision to watch from; watching live from connect", e);
      }
    }
    stream = new EventStream(clientBuilder(config), calls.events(), config.streamPrefix(), after);
    cache.ifPresent(
        c -> stream.addListener(new CacheFeed(c, () -> calls.list(config.streamPrefix()))));
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
