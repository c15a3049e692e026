package dev.lockstep.lock;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reaps expired sessions, waits and lock-delays a few times a second. EJB timers tick in seconds at
 * best; a managed scheduled executor gives the sub-second precision a 1 s TTL needs.
 */
@Singleton
@Startup
@DependsOn("LockService")
public class ExpiryTimer {
  private static final Logger LOG = Logger.getLogger(ExpiryTimer.class.getName());

  @Inject LockService locks;

  @Resource ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> ticking;

  @PostConstruct
  void start() {
    long interval = Math.max(1, locks.settings().expiryInterval().toMillis());
    ticking =
        scheduler.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    if (ticking != null) {
      ticking.cancel(false);
    }
  }

  private void tick() {
    try {
      locks.expireDue();
    } catch (RuntimeException e) {
      // Never let one failure end the schedule: a later tick retries what is still due.
      LOG.log(Level.WARNING, "expiry tick failed", e);
    }
  }
}
