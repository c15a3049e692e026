package dev.lockstep.client;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * When the session's next keep-alive runs: a quarter of the TTL after one while live; in jeopardy
 * after 100 ms, doubling to at most {@link #RETRY_MAX}, so that a session whose server answers
 * again is live within a retry; not at all once lost or closed. One keep-alive at a time, on the
 * client's scheduler thread.
 */
final class KeepAliveTimer {
  /** The longest pause between keep-alives in jeopardy. */
  static final Duration RETRY_MAX = Duration.ofMillis(500);

  private static final long RETRY_FIRST_MILLIS = 100;

  private final ScheduledExecutorService scheduler;
  private final long periodMillis;
  private final Runnable keepAlive;
  private final Supplier<SessionState> state;

  private ScheduledFuture<?> next;
  private long retryMillis = RETRY_FIRST_MILLIS;

  /**
   * @param keepAlive one keep-alive, bounded by its read timeout
   * @param state the session's state after it, which decides the next pause
   */
  KeepAliveTimer(
      ScheduledExecutorService scheduler,
      Duration ttl,
      Runnable keepAlive,
      Supplier<SessionState> state) {
    this.scheduler = scheduler;
    this.periodMillis = Math.max(50, ttl.toMillis() / 4);
    this.keepAlive = keepAlive;
    this.state = state;
  }

  /** The client's one keep-alive thread; a daemon, so that it never keeps the JVM alive. */
  static ScheduledExecutorService newScheduler() {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, "lockstep-keep-alive");
          t.setDaemon(true);
          return t;
        });
  }

  /** Keep-alives from a quarter of the TTL from now, as for a session just opened. */
  synchronized void startLive() {
    retryMillis = RETRY_FIRST_MILLIS;
    schedule(periodMillis);
  }

  /** A keep-alive at once: a call just failed, and the session is in jeopardy. */
  synchronized void retryNow() {
    retryMillis = RETRY_FIRST_MILLIS;
    schedule(0);
  }

  synchronized void stop() {
    if (next != null) {
      next.cancel(false);
      next = null;
    }
  }

  private void schedule(long delayMillis) {
    stop();
    if (!scheduler.isShutdown()) {
      next = scheduler.schedule(this::tick, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void tick() {
    keepAlive.run();
    SessionState now = state.get();
    synchronized (this) {
      if (now == SessionState.LIVE) {
        retryMillis = RETRY_FIRST_MILLIS;
        schedule(periodMillis);
      } else if (now == SessionState.JEOPARDY) {
        long pause = retryMillis;
        retryMillis = Math.min(RETRY_MAX.toMillis(), retryMillis * 2);
        schedule(pause);
      }
    }
  }
}
