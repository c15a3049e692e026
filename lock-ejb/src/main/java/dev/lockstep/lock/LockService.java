package dev.lockstep.lock;

import dev.lockstep.api.LockList;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.api.ProblemType;
import dev.lockstep.api.LockEvent;
import dev.lockstep.lock.events.EventFilter;
import dev.lockstep.lock.events.EventHistory;
import dev.lockstep.lock.events.EventHub;
import dev.lockstep.lock.events.Watcher;
import dev.lockstep.lock.persistence.JpaLockStore;
import dev.lockstep.lock.persistence.StoredState;
import dev.lockstep.lock.session.SessionTokenIssuer;
import dev.lockstep.lock.table.AcquireResult;
import dev.lockstep.lock.table.Changes;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.LockTable;
import dev.lockstep.lock.table.LockTableException;
import dev.lockstep.lock.table.OpenedSession;
import dev.lockstep.lock.table.Outcome;
import dev.lockstep.lock.table.SessionSnapshot;
import dev.lockstep.lock.table.WaitEnded;
import dev.lockstep.lock.table.WaitEnded.WaitGranted;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.AccessTimeout;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Owns the one lock table and serializes every mutation (container-managed write lock). Each
 * operation: expire what is due, apply the operation, store its changes, and only then tell the
 * waiters whose waits ended. It holds no rule of its own: those are the lock table's.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.CONTAINER)
@Lock(LockType.WRITE)
@AccessTimeout(value = 30, unit = TimeUnit.SECONDS)
@TransactionManagement(TransactionManagementType.BEAN)
public class LockService {
  private static final Logger LOG = Logger.getLogger(LockService.class.getName());

  @Inject Config config;

  @Resource ManagedExecutorService executor;

  @Inject
  @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
  MetricRegistry metrics;

  private LockstepSettings settings;
  private LockTable table;
  private JpaLockStore store;
  private final Map<Long, WaitListener> listeners = new HashMap<>();
  private final EventHub hub = new EventHub();
  private EventHistory history;
  private long grants;
  private long releases;
  private long expiries;
  private long sessionExpiries;
  private long events;
  private Counter grantsCounter;
  private Counter releasesCounter;
  private Counter expiriesCounter;
  private Counter sessionExpiriesCounter;
  private Counter eventsCounter;
  private volatile boolean ready;

  @PostConstruct
  void start() {
    settings = LockstepSettings.from(config);
    store = JpaLockStore.open(settings.store(), settings.eventsKept());
    StoredState stored = store.load();
    history = new EventHistory(settings.eventsKept(), stored.forgottenUpTo());
    history.append(stored.events());
    table = new LockTable(Clock.systemUTC(), settings.limits(), new SessionTokenIssuer());
    table.restore(stored.counter(), stored.sessions(), stored.grants(), stored.delays());
    grantsCounter = counter("lockstep.grants", "Grants since start");
    releasesCounter = counter("lockstep.releases", "Releases since start");
    expiriesCounter = counter("lockstep.expiries", "Holds ended by session expiry since start");
    sessionExpiriesCounter = counter("lockstep.session.expiries", "Sessions expired since start");
    eventsCounter = counter("lockstep.events", "Events published since start");
    ready = true;
    LOG.info(() -> "lock table loaded: " + stored.sessions().size() + " sessions, "
        + stored.grants().size() + " grants, counter at " + stored.counter()
        + " (" + settings.store().effectiveUrl().replaceAll("password=[^;]*", "password=***") + ")");
  }

  @PreDestroy
  void stop() {
    ready = false;
    if (store != null) {
      store.close();
    }
  }

  /** Whether the lock table is loaded from the database: the readiness check. */
  @Lock(LockType.READ)
  public boolean isReady() {
    return ready;
  }

  @Lock(LockType.READ)
  public LockstepSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- sessions

  public OpenedSession openSession(String name, Duration ttl, Duration lockDelay) {
    expireDue();
    return commit(table.openSession(name, ttl, lockDelay));
  }

  /**
   * Reads expire what is due first (under the write lock), so that no reader sees a session gone
   * while its locks still look held, or a fencing token valid after its session's TTL.
   */
  public Optional<SessionSnapshot> session(String id) {
    expireDue();
    return table.session(id);
  }

  public SessionSnapshot keepAlive(String sessionId, String bearer) {
    expireDue();
    return commit(table.keepAlive(sessionId, bearer));
  }

  public void closeSession(String sessionId, String bearer) {
    expireDue();
    commit(table.closeSession(sessionId, bearer));
  }

  // ---------------------------------------------------------------- locks

  /**
   * Acquires or queues. When queued, {@code listener} is told how the wait ended; it is registered
   * before this returns, so no ending can slip past it.
   */
  public AcquireResult acquire(String bearer, LockName name, LockMode mode, String owner,
      Duration wait, WaitListener listener) {
    expireDue();
    Outcome<AcquireResult> outcome = table.acquire(bearer, name, mode, owner, wait);
    if (outcome.result() instanceof AcquireResult.Queued queued) {
      WaitListener superseded = listeners.put(queued.waiterId(), listener);
      if (superseded != null && superseded != listener) {
        LockView view = table.view(name);
        deliver(superseded, new WaitRefused(queued.waiterId(), ProblemType.CONFLICT,
            "a newer request of the same session took over this place in line", view));
      }
    }
    return commit(outcome);
  }

  public Grant release(String bearer, LockName name) {
    expireDue();
    return commit(table.release(bearer, name));
  }

  /** The session withdraws its queued request for the lock. */
  public void withdraw(String bearer, LockName name) {
    expireDue();
    commit(table.withdraw(bearer, name));
  }

  /** The client of a queued request went away: take it out of line. */
  public boolean cancelWait(long waiterId) {
    expireDue();
    listeners.remove(waiterId);
    return commit(table.cancelWait(waiterId));
  }

  /** Expires sessions, waits and lock-delays that are due; the expiry timer calls it. */
  public void expireDue() {
    if (table.hasDue()) {
      commit(table.expireDue());
    }
  }

  // ---------------------------------------------------------------- reads

  public LockView view(LockName name) {
    expireDue();
    return table.view(name);
  }

  public LockList list(String prefix) {
    expireDue();
    return table.list(prefix);
  }

  @Lock(LockType.READ)
  public long revision() {
    return table.revision();
  }

  public boolean fencingValid(LockName name, long token) {
    expireDue();
    return table.fencingValid(name, token);
  }

  // ---------------------------------------------------------------- watching

  /**
   * Subscribes a watcher. With {@code resumeAfter}, it first gets every kept matching event after
   * that revision, or a reset when some are gone; then live events, with no gap and no duplicate
   * because both happen under the write lock that every change is published under.
   */
  public void watch(EventFilter filter, OptionalLong resumeAfter, Watcher watcher) {
    if (hub.watcherCount() >= settings.maxWatchers()) {
      throw new LockTableException(ProblemType.TOO_MANY,
          "the server feeds its maximum of " + settings.maxWatchers() + " watchers");
    }
    long revision = table.revision();
    if (resumeAfter.isEmpty() || resumeAfter.getAsLong() == revision) {
      watcher.start(List.of(), false, revision);
    } else if (resumeAfter.getAsLong() > revision) {
      // A revision this server never reached: its history is not the one the watcher saw.
      watcher.start(List.of(), true, revision);
    } else {
      Optional<List<LockEvent>> replay = history.after(resumeAfter.getAsLong(), filter);
      watcher.start(replay.orElse(List.of()), replay.isEmpty(), revision);
    }
    hub.subscribe(filter, watcher);
  }

  public void unwatch(Watcher watcher) {
    hub.unsubscribe(watcher);
  }

  @Lock(LockType.READ)
  public int watcherCount() {
    return hub.watcherCount();
  }

  // ---------------------------------------------------------------- internals

  private <T> T commit(Outcome<T> outcome) {
    Changes changes = outcome.changes();
    if (changes.touchesStore()) {
      try {
        store.apply(changes);
      } catch (RuntimeException e) {
        // The table already moved on; refusing to answer success is all that is left to do.
        LOG.log(Level.SEVERE, "could not store a change of the lock table", e);
        throw new LockTableException(ProblemType.UNAVAILABLE,
            "the change could not be stored: " + e.getMessage());
      }
    }
    if (!changes.events().isEmpty()) {
      count(changes.events());
      history.append(changes.events());
      hub.publish(changes.events());
    }
    for (WaitEnded ended : changes.waitsEnded()) {
      WaitListener listener = listeners.remove(ended.waiterId());
      if (listener != null) {
        deliver(listener, ended);
      }
    }
    return outcome.result();
  }

  private Counter counter(String name, String description) {
    return metrics.counter(Metadata.builder().withName(name).withDescription(description).build());
  }

  private void count(List<LockEvent> published) {
    events += published.size();
    eventsCounter.inc(published.size());
    for (LockEvent event : published) {
      switch (event.kind()) {
        case ACQUIRED -> {
          grants++;
          grantsCounter.inc();
        }
        case RELEASED -> {
          releases++;
          releasesCounter.inc();
        }
        case EXPIRED -> {
          expiries++;
          expiriesCounter.inc();
        }
        case SESSION_EXPIRED -> {
          sessionExpiries++;
          sessionExpiriesCounter.inc();
        }
        default -> { }
      }
    }
  }

  @Lock(LockType.READ)
  public LockStats stats() {
    return new LockStats(table.sessionCount(), table.holdCount(), table.waiterCount(),
        hub.watcherCount(), grants, releases, expiries, sessionExpiries, events);
  }

  private void deliver(WaitListener listener, WaitEnded ended) {
    executor.execute(() -> {
      if (ended instanceof WaitGranted granted) {
        listener.granted(granted.grant());
      } else if (ended instanceof WaitRefused refused) {
        listener.refused(refused);
      }
    });
  }
}
