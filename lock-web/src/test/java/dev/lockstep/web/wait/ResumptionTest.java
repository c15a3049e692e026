package dev.lockstep.web.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Answers given inside an inline call stay on its thread; every other answer hops. */
class ResumptionTest {
  private final List<Runnable> hopped = new CopyOnWriteArrayList<>();
  private final Resumption resumption = new Resumption(hopped::add);
  private final ExecutorService other = Executors.newSingleThreadExecutor();

  private static void awaitOrFail(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS), "the test never let the inline call end");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @AfterEach
  void stopOther() {
    other.shutdownNow();
  }

  @Test
  void execute_outsideAnyInlineCall_hops() {
    boolean[] ran = {false};

    resumption.execute(() -> ran[0] = true);

    assertEquals(1, hopped.size());
    assertFalse(ran[0], "ran on the calling thread");
  }

  @Test
  void execute_insideAnInlineCall_runsAtOnceOnItsThread() {
    AtomicReference<Thread> ranOn = new AtomicReference<>();

    String result =
        resumption.inline(
            () -> {
              resumption.execute(() -> ranOn.set(Thread.currentThread()));
              return "polled";
            });

    assertEquals("polled", result);
    assertSame(Thread.currentThread(), ranOn.get());
    assertTrue(hopped.isEmpty());
  }

  @Test
  void execute_afterTheInlineCallReturned_hopsAgain() {
    resumption.inline(() -> {});

    resumption.execute(() -> {});

    assertEquals(1, hopped.size());
  }

  @Test
  void execute_fromAnotherThread_whileAnInlineCallRuns_hops() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> window =
        other.submit(
            () ->
                resumption.inline(
                    () -> {
                      inside.countDown();
                      awaitOrFail(release);
                    }));
    assertTrue(inside.await(10, TimeUnit.SECONDS));

    resumption.execute(() -> {});

    assertEquals(1, hopped.size(), "an ending delivered by another request stayed on its thread");
    release.countDown();
    window.get(10, TimeUnit.SECONDS);
  }

  @Test
  void inline_onTwoThreadsAtOnce_endingOneKeepsTheOtherOpen() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> ranOn = new CopyOnWriteArrayList<>();
    Future<?> window =
        other.submit(
            () ->
                resumption.inline(
                    () -> {
                      inside.countDown();
                      awaitOrFail(release);
                      resumption.execute(() -> ranOn.add(Thread.currentThread()));
                    }));
    assertTrue(inside.await(10, TimeUnit.SECONDS));

    resumption.inline(() -> {}); // a window on this thread opens and closes meanwhile
    release.countDown();
    window.get(10, TimeUnit.SECONDS);

    assertEquals(1, ranOn.size());
    assertTrue(hopped.isEmpty(), "the other thread's window was closed by this one");
  }
}
