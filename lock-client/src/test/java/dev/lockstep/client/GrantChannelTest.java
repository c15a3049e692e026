package dev.lockstep.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.GrantView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The grant channel against a fake server: one poll for all waits, endings in order to their own
 * waits, a dropped poll resumed from the same seq, a reset ending the open waits for re-queueing.
 */
class GrantChannelTest {
  private final ExecutorService pollers = Executors.newCachedThreadPool();

  /** The {@code after} of every poll, in order. */
  private final List<Long> polledAfter = new CopyOnWriteArrayList<>();

  /** What the next polls answer: an answer, or a failure to throw. */
  private final BlockingQueue<Supplier<BatchWire.Endings>> answers = new LinkedBlockingQueue<>();

  private final GrantChannel channel =
      new GrantChannel(
          (after, wait) -> {
            polledAfter.add(after);
            try {
              Supplier<BatchWire.Endings> next =
                  answers.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
              return next == null ? new BatchWire.Endings(List.of(), after, false) : next.get();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new ServerException("interrupted", e);
            }
          },
          pollers,
          Duration.ofMillis(200));

  @AfterEach
  void tearDown() {
    channel.close();
    pollers.shutdownNow();
  }

  private static BatchWire.Ending granted(long seq, String requestId) {
    return new BatchWire.Ending(
        seq,
        "jobs/" + requestId,
        requestId,
        200,
        new GrantView("jobs/" + requestId, "exclusive", "s", "o", seq, Instant.EPOCH),
        null);
  }

  @Test
  void endingsReachTheirOwnWaits_inOrder_overOnePoll() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    CompletableFuture<BatchWire.Result> a = channel.expect("a");
    CompletableFuture<BatchWire.Result> b = channel.expect("b");
    a.thenRun(() -> order.add("a"));
    b.thenRun(() -> order.add("b"));
    channel.queued("a");
    channel.queued("b");

    answers.add(() -> new BatchWire.Endings(List.of(granted(1, "b"), granted(2, "a")), 2, false));

    assertEquals(2, a.get(5, TimeUnit.SECONDS).grant().fencingToken());
    assertEquals(1, b.get(5, TimeUnit.SECONDS).grant().fencingToken());
    assertEquals(List.of("b", "a"), order, "in the order of their seq");
    assertEquals(0L, polledAfter.get(0));
    await().atMost(Duration.ofSeconds(5)).until(() -> !polledAfter.isEmpty());
    assertTrue(polledAfter.stream().allMatch(after -> after == 0L), "one poll: " + polledAfter);
  }

  @Test
  void aDroppedPoll_isResumedFromTheSameSeq_andNoEndingIsLost() throws Exception {
    CompletableFuture<BatchWire.Result> first = channel.expect("first");
    CompletableFuture<BatchWire.Result> second = channel.expect("second");
    channel.queued("first");
    channel.queued("second");
    answers.add(() -> new BatchWire.Endings(List.of(granted(5, "first")), 5, false));
    first.get(5, TimeUnit.SECONDS);
    answers.add(
        () -> {
          throw new ServerException("connection reset", null);
        });
    answers.add(() -> new BatchWire.Endings(List.of(granted(6, "second")), 6, false));

    assertEquals(6, second.get(5, TimeUnit.SECONDS).grant().fencingToken());
    int failedAt = polledAfter.indexOf(5L);
    assertEquals(5L, polledAfter.get(failedAt + 1), "polled again from 5: " + polledAfter);
  }

  @Test
  void anEndingReadBeforeTheBatchAnswered_isNotLost() throws Exception {
    CompletableFuture<BatchWire.Result> early = channel.expect("early");
    CompletableFuture<BatchWire.Result> other = channel.expect("other");
    channel.queued("other"); // another wait's poll reads both endings
    answers.add(
        () -> new BatchWire.Endings(List.of(granted(1, "early"), granted(2, "other")), 2, false));
    other.get(5, TimeUnit.SECONDS);

    assertTrue(early.isDone(), "delivered before its 202 arrived");
    channel.queued("early"); // the batch's 202 comes late: nothing to poll for
    assertEquals(1, early.get().grant().fencingToken());
  }

  @Test
  void aReset_endsTheOpenWaits_forThemToQueueAgain() throws Exception {
    CompletableFuture<BatchWire.Result> ended = channel.expect("ended");
    CompletableFuture<BatchWire.Result> lost = channel.expect("lost");
    channel.queued("ended");
    channel.queued("lost");

    answers.add(() -> new BatchWire.Endings(List.of(granted(1, "ended")), 1, true));

    assertEquals(200, ended.get(5, TimeUnit.SECONDS).status());
    Throwable failure = lost.handle((r, e) -> e).get(5, TimeUnit.SECONDS);
    assertInstanceOf(GrantChannel.WaitResetException.class, failure);
  }

  @Test
  void noPoll_whileNoWaitIsQueued() throws Exception {
    CompletableFuture<BatchWire.Result> announced = channel.expect("announced");
    channel.forget("announced");
    channel.queued("announced");

    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(polledAfter::isEmpty);
    assertFalse(announced.isDone());
  }

  @Test
  void aSessionGoneAnswer_failsEveryOpenWait() throws Exception {
    CompletableFuture<BatchWire.Result> waiting = channel.expect("w");
    channel.queued("w");

    answers.add(
        () -> {
          throw new ServerException(404, "no such session");
        });

    Throwable failure = waiting.handle((r, e) -> e).get(5, TimeUnit.SECONDS);
    assertEquals(404, ((ServerException) failure).status());
  }
}
