package dev.lockstep.lock;

import dev.lockstep.api.LockEvent;
import dev.lockstep.api.LockList;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.api.ProblemType;
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
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Owns the one lock table and serializes every mutation under its table lock. Each operation:
 * expire what is due, apply the operation, queue its changes for the store; then, outside the table
 * lock, wait until a group commit has stored them, and only then answer. Events are published and
 * ended waits delivered once their changes are stored. It holds no rule of its own: those are the
 * lock table's.
 *
 * <p>Bean-managed concurrency: the container's write lock would also be held through the commit,
 * serializing every request on the disk; this lock covers only the in-memory table.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionManagement(TransactionManagementType.BEAN)
public class LockService {
  /** How long an operation waits for the table before it is refused as unavailable. */
  private static final long TABLE_WAIT_SECONDS = 30;

  private static final Changes NO_CHANGES =
      new Changes(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), 0);
  private static final Logger LOG = Logger.getLogger(LockService.class.getName());

  @Inject Config config;

  @Resource ManagedExecutorService executor;

  @Inject
  @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
  MetricRegistry metrics;

  private LockstepSettings settings;
  private LockTable table;
  private JpaLockStore store;
  private final ReentrantLock tableLock = new ReentrantLock();
  private GroupCommit commits;

  /** Guarded by the table lock. */
  private final Map<Long, WaitListener> listeners = new HashMap<>();

  /** Ended waits of stored batches, in order, for the next caller that passes to tell. */
  private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> told =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** The hub, the history and the published revision are guarded by the hub's monitor. */
  private final EventHub hub = new EventHub();

  private EventHistory history;
  private volatile long publishedRevision;
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
    publishedRevision = table.revision();
    Counter storeCommits =
        counter(
            "lockstep.store.commits",
            "Transactions that stored changes of the lock table (group commits) since start");
    Counter storeChanges =
        counter(
            "lockstep.store.changes",
            "Operations whose changes were stored since start; divided by commits: the mean batch");
    commits =
        new GroupCommit(
            batch -> {
              store.apply(batch);
              storeCommits.inc();
              storeChanges.inc(batch.size());
            });
    grantsCounter = counter("lockstep.grants", "Grants since start");
    releasesCounter = counter("lockstep.releases", "Releases since start");
    expiriesCounter = counter("lockstep.expiries", "Holds ended by session expiry since start");
    sessionExpiriesCounter = counter("lockstep.session.expiries", "Sessions expired since start");
    eventsCounter = counter("lockstep.events", "Events published since start");
    ready = true;
    LOG.info(
        () ->
            "lock table loaded: "
                + stored.sessions().size()
                + " sessions, "
                + stored.grants().size()
                + " grants, counter at "
                + stored.counter()
                + " ("
                + settings.store().effectiveUrl().replaceAll("password=[^;]*", "password=***")
                + ")");
  }

  @PreDestroy
  void stop() {
    ready = false;
    if (store != null) {
      tableLock.lock();
      try {
        commits.awaitSettled(commits.lastEnqueued());
        store.close();
      } finally {
        tableLock.unlock();
      }
    }
  }

  /** Whether the lock table is loaded from the database: the readiness check. */
  public boolean isReady() {
    return ready;
  }

  public LockstepSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- sessions

  public OpenedSession openSession(String name, Duration ttl, Duration lockDelay) {
    return apply(() -> table.openSession(name, ttl, lockDelay));
  }

  /**
   * Reads expire what is due first, so that no reader sees a session gone while its locks still
   * look held, or a fencing token valid after its session's TTL; and they answer only once what
   * they saw is stored, so no answer shows a state that a crash could undo.
   */
  public Optional<SessionSnapshot> session(String id) {
    return read(() -> table.session(id));
  }

  public SessionSnapshot keepAlive(String sessionId, String bearer) {
    return apply(() -> table.keepAlive(sessionId, bearer));
  }

  public void closeSession(String sessionId, String bearer) {
    apply(() -> table.closeSession(sessionId, bearer));
  }

  // ---------------------------------------------------------------- locks

  /**
   * Acquires or queues. When queued, {@code listener} is told how the wait ended; it is registered
   * before this returns, so no ending can slip past it.
   */
  public AcquireResult acquire(
      String bearer,
      LockName name,
      LockMode mode,
      String owner,
      Duration wait,
      WaitListener listener) {
    return apply(
        () -> {
          Outcome<AcquireResult> outcome = table.acquire(bearer, name, mode, owner, wait);
          if (outcome.result() instanceof AcquireResult.Queued queued) {
            WaitListener superseded = listeners.put(queued.waiterId(), listener);
            if (superseded != null && superseded != listener) {
              LockView view = table.view(name);
              deliver(
                  superseded,
                  new WaitRefused(
                      queued.waiterId(),
                      ProblemType.CONFLICT,
                      "a newer request of the same session took over this place in line",
                      view));
            }
          }
          return outcome;
        });
  }

  public Grant release(String bearer, LockName name) {
    return apply(() -> table.release(bearer, name));
  }

  /** The session withdraws its queued request for the lock. */
  public void withdraw(String bearer, LockName name) {
    apply(() -> table.withdraw(bearer, name));
  }

  /** The client of a queued request went away: take it out of line. */
  public boolean cancelWait(long waiterId) {
    return apply(
        () -> {
          listeners.remove(waiterId);
          return table.cancelWait(waiterId);
        });
  }

  /** Expires sessions, waits and lock-delays that are due; the expiry timer calls it. */
  public void expireDue() {
    read(() -> null);
  }

  // ---------------------------------------------------------------- reads

  public LockView view(LockName name) {
    return read(() -> table.view(name));
  }

  public LockList list(String prefix) {
    return read(() -> table.list(prefix));
  }

  /**
   * Whether the table lock can be taken within {@code within}: false when an operation is stuck
   * holding it. The liveness check.
   */
  public boolean tableAnswers(Duration within) {
    try {
      if (tableLock.tryLock(within.toMillis(), TimeUnit.MILLISECONDS)) {
        tableLock.unlock();
        return true;
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public boolean fencingValid(LockName name, long token) {
    return read(() -> table.fencingValid(name, token));
  }

  // ---------------------------------------------------------------- watching

  /**
   * Subscribes a watcher. With {@code resumeAfter}, it first gets every kept matching event after
   * that revision, or a reset when some are gone; then live events, with no gap and no duplicate
   * because both happen under the hub's monitor that every change is published under.
   */
  public void watch(EventFilter filter, OptionalLong resumeAfter, Watcher watcher) {
    synchronized (hub) {
      subscribe(filter, resumeAfter, watcher);
    }
  }

  private void subscribe(EventFilter filter, OptionalLong resumeAfter, Watcher watcher) {
    if (hub.watcherCount() >= settings.maxWatchers()) {
      throw new LockTableException(
          ProblemType.TOO_MANY,
          "the server feeds its maximum of " + settings.maxWatchers() + " watchers");
    }
    long revision = publishedRevision;
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
    synchronized (hub) {
      hub.unsubscribe(watcher);
    }
  }

  public int watcherCount() {
    synchronized (hub) {
      return hub.watcherCount();
    }
  }

  // ---------------------------------------------------------------- internals

  /**
   * Applies an operation under the table lock, then answers once its changes, and everything it
   * saw, are stored.
   */
  private <T> T apply(Supplier<Outcome<T>> operation) {
    GroupCommit.Ticket ticket;
    Outcome<T> outcome;
    long seen;
    lockTable();
    try {
      queueExpiries();
      outcome = operation.get();
      ticket = queue(outcome.changes());
      seen = commits.lastEnqueued();
    } catch (RuntimeException refused) {
      settleAfterRefusal();
      throw refused;
    } finally {
      if (tableLock.isHeldByCurrentThread()) {
        tableLock.unlock();
      }
    }
    try {
      if (ticket != null) {
        await(ticket);
      } else {
        // Nothing changed, but what the operation saw may still be on its way to the store.
        commits.awaitSettled(seen);
      }
    } finally {
      tellWaiters();
    }
    return outcome.result();
  }

  /** Reads under the table lock, then answers once everything the read saw is stored. */
  private <T> T read(Supplier<T> reading) {
    return apply(() -> new Outcome<>(reading.get(), NO_CHANGES));
  }

  /**
   * A refused operation may have queued the expiries that ran before it: they are stored, and their
   * waiters told, before the refusal is answered, not only when the next caller comes.
   */
  private void settleAfterRefusal() {
    long seen = commits.lastEnqueued();
    tableLock.unlock();
    commits.awaitSettled(seen);
    tellWaiters();
  }

  private void lockTable() {
    try {
      if (!tableLock.tryLock(TABLE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new LockTableException(
            ProblemType.UNAVAILABLE, "the lock table stayed busy for " + TABLE_WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LockTableException(
          ProblemType.UNAVAILABLE, "interrupted waiting for the lock table");
    }
  }

  private void queueExpiries() {
    if (table.hasDue()) {
      queue(table.expireDue().changes());
    }
  }

  /**
   * Queues the changes for the store, with what to do once they are stored: publish their events
   * and hand the waiters whose waits they ended to the callers that tell them. The listeners are
   * taken out now, under the table lock, so that a cancelled wait is never told afterwards.
   */
  private GroupCommit.Ticket queue(Changes changes) {
    if (!changes.touchesStore() && changes.waitsEnded().isEmpty()) {
      return null;
    }
    List<Runnable> tellings = new ArrayList<>(changes.waitsEnded().size());
    for (WaitEnded ended : changes.waitsEnded()) {
      WaitListener listener = listeners.remove(ended.waiterId());
      if (listener != null) {
        tellings.add(() -> tell(listener, ended));
      }
    }
    return commits.enqueue(
        changes,
        () -> {
          publish(changes);
          told.addAll(tellings);
        });
  }

  private void await(GroupCommit.Ticket ticket) {
    try {
      commits.await(ticket);
    } catch (RuntimeException e) {
      // The table already moved on; refusing to answer success is all that is left to do.
      LOG.log(Level.SEVERE, "could not store a change of the lock table", e);
      throw new LockTableException(
          ProblemType.UNAVAILABLE, "the change could not be stored: " + e.getMessage());
    }
  }

  private void publish(Changes changes) {
    synchronized (hub) {
      if (!changes.events().isEmpty()) {
        count(changes.events());
        history.append(changes.events());
        hub.publish(changes.events());
      }
      publishedRevision = Math.max(publishedRevision, changes.counter());
    }
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
        default -> {}
      }
    }
  }

  public LockStats stats() {
    int sessions;
    long holds;
    int waiters;
    lockTable();
    try {
      sessions = table.sessionCount();
      holds = table.holdCount();
      waiters = table.waiterCount();
    } finally {
      tableLock.unlock();
    }
    synchronized (hub) {
      return new LockStats(
          sessions,
          holds,
          waiters,
          hub.watcherCount(),
          grants,
          releases,
          expiries,
          sessionExpiries,
          events);
    }
  }

  private void deliver(WaitListener listener, WaitEnded ended) {
    executor.execute(() -> tell(listener, ended));
  }

  private static void tell(WaitListener listener, WaitEnded ended) {
    if (ended instanceof WaitGranted granted) {
      listener.granted(granted.grant());
    } else if (ended instanceof WaitRefused refused) {
      listener.refused(refused);
    }
  }

  /**
   * Tells the waiters whose waits a stored batch ended, on the calling thread: every caller passes
   * here once its own change is settled, so a grant reaches its waiter without a thread hop, and
   * never from inside a commit, where a listener that called back into the lock service would wait
   * for the very commit it runs in.
   */
  private void tellWaiters() {
    for (Runnable telling = told.poll(); telling != null; telling = told.poll()) {
      try {
        telling.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "telling a waiter how its wait ended failed", e);
      }
    }
  }
}
