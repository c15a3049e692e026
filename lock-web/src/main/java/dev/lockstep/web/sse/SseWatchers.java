package dev.lockstep.web.sse;

import dev.lockstep.lock.LockService;
import dev.lockstep.lock.events.EventFilter;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The live event streams: the sender pool that writes them and the keep-alive comments on idle
 * ones. Senders are a pool of their own, not the default managed executor, so that streams stuck
 * writing to slow clients can never delay the answers to granted waiters.
 */
@ApplicationScoped
public class SseWatchers {
  private static final int SENDER_THREADS = 8;

  @Inject LockService locks;

  @Resource ManagedThreadFactory threads;

  @Resource ManagedScheduledExecutorService scheduler;

  private final Set<SseWatcher> open = ConcurrentHashMap.newKeySet();
  private ExecutorService senders;
  private ScheduledFuture<?> keepAlives;

  @PostConstruct
  void start() {
    senders = Executors.newFixedThreadPool(SENDER_THREADS, threads);
    long interval = locks.settings().keepAliveInterval().toMillis();
    long idleNanos = TimeUnit.MILLISECONDS.toNanos(interval);
    // Checked at a third of the interval: an idle stream hears a comment within 4/3 of it.
    long check = Math.max(100, interval / 3);
    keepAlives =
        scheduler.scheduleWithFixedDelay(
            () -> open.forEach(w -> w.keepAliveIfIdle(idleNanos)),
            check,
            check,
            TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    if (keepAlives != null) {
      keepAlives.cancel(false);
    }
    open.forEach(SseWatcher::close);
    if (senders != null) {
      senders.shutdownNow();
    }
  }

  /** Opens a stream on {@code sink}; a refusal (too many watchers) leaves the sink untouched. */
  public Runnable watch(EventFilter filter, OptionalLong resumeAfter, SseEventSink sink, Sse sse) {
    SseWatcher watcher =
        new SseWatcher(
            sink,
            sse,
            senders,
            locks.settings().watcherBuffer(),
            closed -> {
              open.remove(closed);
              locks.unwatch(closed);
            });
    locks.watch(filter, resumeAfter, watcher);
    open.add(watcher);
    return watcher::close;
  }

  public int openCount() {
    return open.size();
  }
}
