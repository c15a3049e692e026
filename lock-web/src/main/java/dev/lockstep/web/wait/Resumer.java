package dev.lockstep.web.wait;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the answer of a suspended request on a thread of its own, never on the thread that ended its
 * wait. That thread is usually serving another request (the release that granted the lock), and
 * Payara's {@code AsyncContextImpl.notifyAsyncListeners} wraps the completed request's async
 * listeners in Weld's {@code requestInitialized}/{@code requestDestroyed} on the thread that
 * completes it: nested in the other request, Weld took over that request's guard and contexts
 * (WELD-000714, WELD-000225 twice, WELD-000335), then ended them, so that the releasing request ran
 * its end without a CDI request context and logged WELD-000715. On a resumer thread no request is
 * active, and Weld opens and closes the contexts of the completed request cleanly.
 *
 * <p>It also runs each queued request's safety net ({@link #schedule}): the deadline past its wait
 * at which it is answered even if its ending were lost.
 *
 * <p>A pool of managed threads rather than the managed executors: Payara's capture the caller's
 * context for every task they are given, a {@code ServiceLoader} scan of the class path each time,
 * which a JFR recording of queued hand-offs showed in 7 to 13 % of the samples when only the safety
 * net was scheduled there. These threads carry the application's context from their creation.
 */
@ApplicationScoped
public class Resumer implements Executor {
  /** Answers are small writes to loopback or LAN clients; a few threads keep up with many. */
  private static final int THREADS = 4;

  @Resource ManagedThreadFactory threads;

  ScheduledThreadPoolExecutor pool; // package-private for ResumerTest

  @PostConstruct
  void start() {
    pool = new ScheduledThreadPoolExecutor(THREADS, threads);
    // Nearly every safety net is cancelled by its answer: drop it from the queue then, rather than
    // keep it there for its whole wait.
    pool.setRemoveOnCancelPolicy(true);
    // At undeploy the nets go with the application; kept, they would keep its threads for minutes.
    pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @PreDestroy
  void stop() {
    pool.shutdown();
  }

  /** Runs {@code net} after {@code delay} on a resumer thread, unless cancelled before. */
  public ScheduledFuture<?> schedule(Runnable net, Duration delay) {
    return pool.schedule(net, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void execute(Runnable answer) {
    try {
      pool.execute(answer);
    } catch (RejectedExecutionException shuttingDown) {
      // The application is being undeployed: answer here rather than leave the client waiting.
      answer.run();
    }
  }
}
