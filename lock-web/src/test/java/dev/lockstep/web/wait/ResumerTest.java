package dev.lockstep.web.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Answers run on the resumer's own threads; cancelled safety nets leave its queue at once. */
class ResumerTest {
  private final Resumer resumer = new Resumer();

  @BeforeEach
  void start() {
    resumer.threads = new PlainThreads();
    resumer.start();
  }

  @AfterEach
  void stop() {
    resumer.stop();
  }

  @Test
  void execute_runsTheAnswerOnAThreadOfItsOwn() throws Exception {
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();

    resumer.execute(() -> ranOn.complete(Thread.currentThread()));

    Thread thread = ranOn.get(10, TimeUnit.SECONDS);
    assertNotSame(Thread.currentThread(), thread);
    assertTrue(thread.getName().startsWith("resumer-test"), thread.getName());
  }

  @Test
  void schedule_runsTheNetAfterItsDelay() throws Exception {
    CompletableFuture<Long> ranAt = new CompletableFuture<>();
    long scheduledAt = System.nanoTime();

    resumer.schedule(() -> ranAt.complete(System.nanoTime()), Duration.ofMillis(50));

    long elapsed = ranAt.get(10, TimeUnit.SECONDS) - scheduledAt;
    assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(50), "ran after " + elapsed + " ns");
  }

  @Test
  void schedule_cancelled_leavesTheQueue() {
    ScheduledFuture<?> net = resumer.schedule(() -> {}, Duration.ofMinutes(5));
    assertEquals(1, resumer.pool.getQueue().size());

    net.cancel(false);

    assertTrue(resumer.pool.getQueue().isEmpty(), "a cancelled net stays queued for its wait");
  }

  @Test
  void stop_dropsTheNetsStillScheduled() throws Exception {
    resumer.schedule(() -> {}, Duration.ofMinutes(5));

    resumer.stop();

    assertTrue(resumer.pool.awaitTermination(10, TimeUnit.SECONDS), "a net kept the pool alive");
  }

  @Test
  void execute_afterStop_answersOnTheCallingThread() {
    resumer.stop();
    Thread[] ranOn = {null};

    resumer.execute(() -> ranOn[0] = Thread.currentThread());

    assertSame(Thread.currentThread(), ranOn[0]);
  }

  /** What the container's managed thread factory gives, minus the context. */
  private static final class PlainThreads implements ManagedThreadFactory {
    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "resumer-test");
      thread.setDaemon(true);
      return thread;
    }

    @Override
    public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
      throw new UnsupportedOperationException("the resumer uses no fork-join pool");
    }
  }
}
