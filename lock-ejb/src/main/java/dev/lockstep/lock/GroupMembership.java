package dev.lockstep.lock;

import dev.lockstep.lock.lease.JdbcLeaseStore;
import dev.lockstep.lock.lease.Lease;
import dev.lockstep.lock.lease.LeaseKeeper;
import dev.lockstep.lock.lease.LeaseSettings;
import dev.lockstep.lock.lease.MonotonicClock;
import dev.lockstep.lock.persistence.GuardedStore;
import dev.lockstep.lock.persistence.JpaLockStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A server's membership of an active/standby group: the group's one store, opened at start so that
 * a takeover need not wait for JPA to start, and the lease kept on a scheduler, which also tries
 * again for a standby. Each term's table is loaded with every commit guarded by the term's epoch.
 */
final class GroupMembership {
  private static final Logger LOG = Logger.getLogger(GroupMembership.class.getName());

  private final LockstepSettings settings;
  private final Clock clock;
  private final LockCounters counters;
  private final JpaLockStore store;
  private final ActiveStandby member;

  /**
   * A standby reads the tables again this often, so that the code that converts them stays compiled
   * and the rows cached by the database as the tables grow: the first warm-up at start may have
   * found them empty.
   */
  private static final Duration WARM_EVERY = Duration.ofSeconds(10);

  /** Warm-ups run here, never on the renewal thread: a claim must not wait for one. */
  private final ExecutorService warming =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "lockstep-standby-warm-up");
            t.setDaemon(true);
            return t;
          });

  private long lastWarm = System.nanoTime();
  private ScheduledFuture<?> renewing;

  private GroupMembership(
      LeaseSettings lease, LockstepSettings settings, Clock clock, LockCounters counters) {
    this.settings = settings;
    this.clock = clock;
    this.counters = counters;
    this.store = JpaLockStore.open(settings.store(), settings.eventsKept());
    JdbcLeaseStore leaseStore = JdbcLeaseStore.open(settings.store());
    this.member = new ActiveStandby(lease, leaseStore, this::loadTerm);
    member.keptBy(
        new LeaseKeeper(
            new Lease(lease.server(), new MonotonicClock(), lease.length(), lease.safetyMargin()),
            leaseStore,
            lease,
            member));
  }

  /**
   * Joins the group: claims the lease once now, so that a server alone becomes active at start,
   * then renews it every renewal interval on {@code scheduler}.
   */
  static GroupMembership join(
      LeaseSettings lease,
      LockstepSettings settings,
      Clock clock,
      LockCounters counters,
      ScheduledExecutorService scheduler) {
    GroupMembership joined = new GroupMembership(lease, settings, clock, counters);
    joined.member.renew();
    if (joined.member.current().isEmpty()) {
      joined.warm();
    }
    long interval = lease.renewInterval().toMillis();
    joined.renewing =
        scheduler.scheduleAtFixedRate(joined::renew, interval, interval, TimeUnit.MILLISECONDS);
    return joined;
  }

  ActiveStandby member() {
    return member;
  }

  void stop() {
    if (renewing != null) {
      renewing.cancel(false);
    }
    warming.shutdownNow();
    member.stop();
    store.close();
  }

  /** Loads the table for a term at {@code epoch}, every commit guarded by that epoch. */
  private ServiceParts loadTerm(long epoch) {
    return ServiceParts.load(
        new GuardedStore(store, epoch),
        clock,
        settings,
        counters,
        lost -> member.commitRefused(epoch));
  }

  /**
   * A standby reads the tables once at start, changing nothing, so that a takeover's load finds the
   * queries prepared and the code compiled: cold, the first load took seconds under load.
   */
  private void warm() {
    long started = System.nanoTime();
    try {
      int rows = store.warm();
      LOG.fine(
          () ->
              "standby warmed up: read "
                  + rows
                  + " rows in "
                  + (System.nanoTime() - started) / 1_000_000
                  + " ms");
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "standby warm-up failed; a takeover loads cold", e);
    }
  }

  private void renew() {
    try {
      member.renew();
      if (member.current().isEmpty() && System.nanoTime() - lastWarm > WARM_EVERY.toNanos()) {
        lastWarm = System.nanoTime();
        // Skipped if it became active meanwhile: a warm-up would only hold its commits up.
        warming.execute(
            () -> {
              if (member.current().isEmpty()) {
                warm();
              }
            });
      }
    } catch (RuntimeException e) {
      // Never let one failure end the schedule: the next renewal tries again.
      LOG.log(Level.WARNING, "lease renewal failed", e);
    }
  }
}
