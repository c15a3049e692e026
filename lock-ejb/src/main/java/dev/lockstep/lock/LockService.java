package dev.lockstep.lock;

import dev.lockstep.api.LockList;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.lock.events.EventFilter;
import dev.lockstep.lock.events.Watcher;
import dev.lockstep.lock.persistence.JpaLockStore;
import dev.lockstep.lock.table.AcquireResult;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.OpenedSession;
import dev.lockstep.lock.table.SessionPage;
import dev.lockstep.lock.table.SessionSnapshot;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * The one lock service of the server: builds its parts from the configuration at start, and answers
 * each call through {@link DurableTable}, which serializes every mutation under its table lock and
 * answers once the change is stored, and through {@link dev.lockstep.lock.events.Watches} for the
 * event stream. The rules are the lock table's.
 *
 * <p>Bean-managed concurrency: the container's write lock would also be held through the commit,
 * serializing every request on the disk; the table lock covers only the in-memory table.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionManagement(TransactionManagementType.BEAN)
public class LockService {
  @Inject Config config;

  @Inject
  @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
  MetricRegistry metrics;

  /** The clock of the lock table: the system's, in UTC. */
  private final Clock clock = Clock.systemUTC();

  private LockstepSettings settings;
  private ServiceParts parts;
  private volatile boolean ready;

  @PostConstruct
  void start() {
    settings = LockstepSettings.from(config);
    LockCounters counters =
        new LockCounters(
            (name, description) ->
                metrics.counter(
                    Metadata.builder().withName(name).withDescription(description).build()));
    parts =
        ServiceParts.load(
            JpaLockStore.open(settings.store(), settings.eventsKept()), clock, settings, counters);
    ready = true;
  }

  @PreDestroy
  void stop() {
    ready = false;
    if (parts != null) {
      parts.table().close();
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
    return parts.table().openSession(name, ttl, lockDelay);
  }

  /** Expires what is due first, and answers once what it saw is stored. */
  public Optional<SessionSnapshot> session(String id) {
    return parts.table().session(id);
  }

  /**
   * One page of the live sessions in id order; see {@link
   * dev.lockstep.lock.table.LockTable#sessions}.
   */
  public SessionPage sessions(String namePrefix, String after, int limit) {
    return parts.table().sessions(namePrefix, after, limit);
  }

  public SessionSnapshot keepAlive(String sessionId, String bearer) {
    return parts.table().keepAlive(sessionId, bearer);
  }

  public void closeSession(String sessionId, String bearer) {
    parts.table().closeSession(sessionId, bearer);
  }

  // ---------------------------------------------------------------- locks

  /**
   * Acquires or queues. When queued, {@code listener} is told how the wait ended, once, after the
   * change that ended it is stored; it is registered before this returns, so no ending can slip
   * past it.
   */
  public AcquireResult acquire(
      String bearer,
      LockName name,
      LockMode mode,
      String owner,
      Duration wait,
      WaitListener listener) {
    return parts.table().acquire(bearer, name, mode, owner, wait, listener);
  }

  public Grant release(String bearer, LockName name) {
    return parts.table().release(bearer, name);
  }

  /** The session withdraws its queued request for the lock. */
  public void withdraw(String bearer, LockName name) {
    parts.table().withdraw(bearer, name);
  }

  /** The client of a queued request went away: take it out of line. */
  public boolean cancelWait(long waiterId) {
    return parts.table().cancelWait(waiterId);
  }

  /** Expires sessions, waits and lock-delays that are due; the expiry timer calls it. */
  public void expireDue() {
    parts.table().expireDue();
  }

  // ---------------------------------------------------------------- reads

  public LockView view(LockName name) {
    return parts.table().view(name);
  }

  public LockList list(String prefix) {
    return parts.table().list(prefix);
  }

  /** With {@code delayed}, also the locks only a lock-delay keeps in the table. */
  public LockList list(String prefix, boolean delayed) {
    return parts.table().list(prefix, delayed);
  }

  public boolean fencingValid(LockName name, long token) {
    return parts.table().fencingValid(name, token);
  }

  /**
   * Whether the table lock can be taken within {@code within}: false when an operation is stuck
   * holding it. The liveness check.
   */
  public boolean tableAnswers(Duration within) {
    return parts.table().tableAnswers(within);
  }

  public LockStats stats() {
    return parts.table().stats();
  }

  // ---------------------------------------------------------------- watching

  /**
   * Subscribes a watcher: with {@code resumeAfter}, the kept matching events after that revision
   * first, or a reset when some are gone; then live events, with no gap and no duplicate.
   */
  public void watch(EventFilter filter, OptionalLong resumeAfter, Watcher watcher) {
    parts.watches().watch(filter, resumeAfter, watcher);
  }

  public void unwatch(Watcher watcher) {
    parts.watches().unwatch(watcher);
  }

  public int watcherCount() {
    return parts.watches().watcherCount();
  }
}
