package dev.lockstep.lock;

import dev.lockstep.api.ClusterView;
import dev.lockstep.api.LockList;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.lock.events.EventFilter;
import dev.lockstep.lock.events.Watcher;
import dev.lockstep.lock.lease.LeaseSettings;
import dev.lockstep.lock.table.AcquireResult;
import dev.lockstep.lock.table.BatchAnswer;
import dev.lockstep.lock.table.BatchRequest;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.OpenedSession;
import dev.lockstep.lock.table.SessionPage;
import dev.lockstep.lock.table.SessionSnapshot;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;
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

  private static final Logger LOG = Logger.getLogger(LockService.class.getName());

  /** The clock of the lock table: the system's, in UTC. */
  private final Clock clock = Clock.systemUTC();

  @Resource ManagedScheduledExecutorService scheduler;

  private LockstepSettings settings;
  private LockCounters counters;

  /** The parts of a single server; empty in a group, whose parts come and go with the lease. */
  private Optional<ServiceParts> single = Optional.empty();

  private Optional<ActiveStandby> group = Optional.empty();

  private Optional<GroupMembership> membership = Optional.empty();
  private volatile boolean ready;

  @PostConstruct
  void start() {
    settings = LockstepSettings.from(config);
    counters =
        new LockCounters(
            (name, description) ->
                metrics.counter(
                    Metadata.builder().withName(name).withDescription(description).build()));
    Optional<LeaseSettings> lease = GroupSettings.from(config, settings.store());
    if (lease.isEmpty()) {
      single =
          Optional.of(
              ServiceParts.load(
                  SingleServerStore.open(settings.store(), settings.eventsKept()),
                  clock,
                  settings,
                  counters));
    } else {
      GroupMembership joined =
          GroupMembership.join(lease.get(), settings, clock, counters, scheduler);
      membership = Optional.of(joined);
      group = Optional.of(joined.member());
    }
    ready = true;
  }

  @PreDestroy
  void stop() {
    ready = false;
    membership.ifPresent(GroupMembership::stop);
    single.ifPresent(parts -> parts.table().close());
  }

  /**
   * Whether this server answers: its table loaded from the database and, in a group, the lease
   * surely its own. The readiness check.
   */
  public boolean isReady() {
    return ready && group.map(ActiveStandby::mayAnswerReads).orElse(true);
  }

  /** Who this server is in its group, the active one and the epoch: {@code GET /cluster}. */
  public ClusterView cluster() {
    return group
        .map(ActiveStandby::view)
        .orElseGet(() -> new ClusterView("single", null, "single", null, null, 0, List.of()));
  }

  /** The parts that answer a change: refused unless this server is surely the active one. */
  private ServiceParts writer() {
    if (group.isEmpty()) {
      return single.orElseThrow(
          () -> new IllegalStateException("the lock service has not started"));
    }
    ActiveStandby member = group.get();
    ServiceParts parts = member.parts();
    if (!member.mayAnswerReads()) {
      throw member.notLeader();
    }
    return parts;
  }

  /**
   * Answers a read only when, after reading, the lease is still surely this server's: a deposed
   * server must never tell a client that a stale fencing token is valid.
   */
  private <T> T read(Function<ServiceParts, T> reading) {
    T answer = reading.apply(writer());
    group
        .filter(member -> !member.mayAnswerReads())
        .ifPresent(
            member -> {
              throw member.notLeader();
            });
    return answer;
  }

  /** The parts when there are any: a standby has none, and its health and metrics say so. */
  private Optional<ServiceParts> present() {
    return group.isEmpty() ? single : group.flatMap(ActiveStandby::current);
  }

  public LockstepSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- sessions

  public OpenedSession openSession(String name, Duration ttl, Duration lockDelay) {
    return writer().table().openSession(name, ttl, lockDelay);
  }

  /** Expires what is due first, and answers once what it saw is stored. */
  public Optional<SessionSnapshot> session(String id) {
    return read(parts -> parts.table().session(id));
  }

  /**
   * One page of the live sessions in id order; see {@link
   * dev.lockstep.lock.table.LockTable#sessions}.
   */
  public SessionPage sessions(String namePrefix, String after, int limit) {
    return read(parts -> parts.table().sessions(namePrefix, after, limit));
  }

  public SessionSnapshot keepAlive(String sessionId, String bearer) {
    return writer().table().keepAlive(sessionId, bearer);
  }

  public void closeSession(String sessionId, String bearer) {
    writer().table().closeSession(sessionId, bearer);
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
      String request,
      WaitListener listener) {
    return writer().table().acquire(bearer, name, mode, owner, wait, request, listener);
  }

  public Grant release(String bearer, LockName name) {
    return writer().table().release(bearer, name);
  }

  /** The session withdraws its queued request for the lock. */
  public void withdraw(String bearer, LockName name) {
    writer().table().withdraw(bearer, name);
  }

  /**
   * The session cancels its request named {@code request}: withdrawn, released or refused when it
   * arrives, whichever it comes to (see {@link dev.lockstep.lock.table.LockTable#cancelRequest}).
   */
  public void cancelRequest(String bearer, LockName name, String request) {
    writer().table().cancelRequest(bearer, name, request);
  }

  /**
   * Applies a batch of the token's session's operations in order, stored in one commit; see {@link
   * dev.lockstep.lock.table.LockTable#batch}. A wait it queues ends on the session's grant channel.
   */
  public BatchAnswer batch(String bearer, BatchRequest request) {
    return writer().batches().batch(bearer, request);
  }

  /**
   * A long poll of the session's grant channel: {@code answer} is given the endings after {@code
   * after}, at once or when the next comes; the caller expires the returned poll when it stops
   * waiting.
   */
  public GrantChannel.Poll pollGrants(
      String sessionId, String bearer, long after, Consumer<ChannelRead> answer) {
    return writer().batches().poll(sessionId, bearer, after, answer);
  }

  /** The client of a queued request went away: take it out of line. */
  public boolean cancelWait(long waiterId) {
    return writer().table().cancelWait(waiterId);
  }

  /** Expires sessions, waits and lock-delays that are due; the expiry timer calls it. */
  public void expireDue() {
    if (present().isEmpty()) {
      return; // a standby keeps no table to expire
    }
    try {
      writer().table().expireDue();
    } catch (NotLeaderException e) {
      // stepped down meanwhile: nothing of this server's is due any more
    }
  }

  // ---------------------------------------------------------------- reads

  public LockView view(LockName name) {
    return read(parts -> parts.table().view(name));
  }

  public LockList list(String prefix) {
    return read(parts -> parts.table().list(prefix));
  }

  /** With {@code delayed}, also the locks only a lock-delay keeps in the table. */
  public LockList list(String prefix, boolean delayed) {
    return read(parts -> parts.table().list(prefix, delayed));
  }

  public boolean fencingValid(LockName name, long token) {
    return read(parts -> parts.table().fencingValid(name, token));
  }

  /**
   * Whether the table lock can be taken within {@code within}: false when an operation is stuck
   * holding it. The liveness check.
   */
  public boolean tableAnswers(Duration within) {
    return present().map(parts -> parts.table().tableAnswers(within)).orElse(true);
  }

  public LockStats stats() {
    return present()
        .map(parts -> parts.table().stats())
        .orElseGet(() -> new LockStats(0, 0, 0, 0, 0, 0, 0, 0, 0));
  }

  // ---------------------------------------------------------------- watching

  /**
   * Subscribes a watcher: with {@code resumeAfter}, the kept matching events after that revision
   * first, or a reset when some are gone; then live events, with no gap and no duplicate.
   */
  public void watch(EventFilter filter, OptionalLong resumeAfter, Watcher watcher) {
    writer().watches().watch(filter, resumeAfter, watcher);
  }

  public void unwatch(Watcher watcher) {
    present().ifPresent(parts -> parts.watches().unwatch(watcher));
  }

  public int watcherCount() {
    return present().map(parts -> parts.watches().watcherCount()).orElse(0);
  }
}
