package dev.lockstep.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coalescing rule against a fake batch sender: a lone caller goes alone at once, calls that
 * arrive while one is in flight go together in the next batch (at most 64, one session each), and
 * each caller gets its own answer.
 */
class CoalescerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  /** Every batch the fake was asked to send, with the token it was sent for. */
  private final List<List<Operation>> batches = new CopyOnWriteArrayList<>();

  private final List<String> tokens = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
  }

  /** Answers a release of a name ending in an even digit 204, an odd one 409 not-held. */
  private CompletableFuture<List<BatchWire.Result>> answerAtOnce(
      String token, List<Operation> operations) {
    batches.add(operations);
    tokens.add(token);
    List<BatchWire.Result> results = new ArrayList<>();
    for (Operation op : operations) {
      String name = op.name().orElseThrow();
      boolean even = (name.charAt(name.length() - 1) - '0') % 2 == 0;
      results.add(
          even
              ? BatchWire.Result.of(204)
              : new BatchWire.Result(
                  409,
                  null,
                  new Problem(
                      "https://lockstep.dev/problems/not-held",
                      "Not held",
                      409,
                      name + " not held",
                      name,
                      null,
                      null,
                      null,
                      null,
                      null),
                  null,
                  null));
    }
    return CompletableFuture.completedFuture(results);
  }

  /** A release through the coalescer, turning a batch result into the single call's outcome. */
  private String release(Coalescer coalescer, String token, String name, Runnable alone) {
    return coalescer.call(
        Operation.release(token, name),
        () -> {
          alone.run();
          return "alone:" + name;
        },
        result -> {
          if (result.status() != 204) {
            throw Refusals.of(result.status(), Optional.ofNullable(result.problem()), null);
          }
          return "batched:" + name;
        },
        PATIENCE);
  }

  @Test
  void loneCaller_goesAloneOnItsOwnThread_withoutWaitingForAnyone() {
    Coalescer coalescer = new Coalescer(this::answerAtOnce);
    Thread caller = Thread.currentThread();
    List<Thread> ranOn = new ArrayList<>();
    List<Integer> queuedMeanwhile = new ArrayList<>();

    String answer =
        release(
            coalescer,
            "t",
            "a0",
            () -> {
              ranOn.add(Thread.currentThread());
              queuedMeanwhile.add(coalescer.queued());
            });

    assertEquals("alone:a0", answer);
    assertEquals(List.of(caller), ranOn, "sent by the caller itself, at once");
    assertEquals(List.of(0), queuedMeanwhile);
    assertEquals(List.of(), batches, "no batch for a lone caller");
  }

  @Test
  void sixteenCallsWhileOneIsInFlight_goInOneBatch_eachWithItsOwnAnswer() throws Exception {
    Coalescer coalescer = new Coalescer(this::answerAtOnce);
    CountDownLatch inFlight = new CountDownLatch(1);
    CountDownLatch answerIt = new CountDownLatch(1);
    Future<String> first =
        threads.submit(
            () ->
                release(
                    coalescer,
                    "t",
                    "first0",
                    () -> {
                      inFlight.countDown();
                      awaitLatch(answerIt);
                    }));
    assertTrue(inFlight.await(5, TimeUnit.SECONDS));
    List<Future<String>> others = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String name = "lock" + i;
      others.add(
          threads.submit(
              () -> {
                try {
                  return release(coalescer, "t", name, () -> {});
                } catch (LockLostException e) {
                  return "lost:" + name;
                }
              }));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> coalescer.queued() == 16);
    assertEquals(List.of(), batches, "nothing leaves while one is in flight");

    answerIt.countDown();

    assertEquals("alone:first0", first.get(5, TimeUnit.SECONDS));
    for (int i = 0; i < 16; i++) {
      String expected = (i % 2 == 0 ? "batched:" : "lost:") + "lock" + i;
      assertEquals(expected, others.get(i).get(5, TimeUnit.SECONDS));
    }
    assertEquals(1, batches.size(), "one request for the sixteen: " + batches);
    assertEquals(16, batches.get(0).size());
  }

  @Test
  void aBatchCarriesAtMost63_andOnlyOneSessionsOperations() throws Exception {
    CompletableFuture<List<BatchWire.Result>> held = new CompletableFuture<>();
    List<CompletableFuture<BatchWire.Result>> answers = new ArrayList<>();
    Coalescer coalescer =
        new Coalescer(
            (token, operations) -> {
              if (batches.isEmpty()) {
                batches.add(operations);
                tokens.add(token);
                return held.thenApply(x -> List.of(BatchWire.Result.of(204)));
              }
              return answerAtOnce(token, operations);
            });
    answers.add(coalescer.submit(Operation.release("t", "x0"))); // in flight until `held`
    for (int i = 0; i < 70; i++) {
      answers.add(coalescer.submit(Operation.release("t", "y" + (i % 10))));
    }
    for (int i = 0; i < 3; i++) {
      answers.add(coalescer.submit(Operation.release("other", "z" + i * 2)));
    }

    held.complete(List.of());

    for (CompletableFuture<BatchWire.Result> answer : answers) {
      answer.get(5, TimeUnit.SECONDS);
    }
    assertEquals(List.of(1, 63, 7, 3), batches.stream().map(List::size).toList());
    assertEquals(List.of("t", "t", "t", "other"), tokens);
  }

  @Test
  void aCallerWokenByItsBatchAnswer_goesAloneAtOnce() throws Exception {
    Coalescer coalescer = new Coalescer(this::answerAtOnce);
    CompletableFuture<String> next =
        coalescer
            .submit(Operation.release("t", "a0"))
            .thenApply(answered -> release(coalescer, "t", "b0", () -> {}));

    assertEquals("alone:b0", next.get(5, TimeUnit.SECONDS), "not held back for another batch");
    assertEquals(1, batches.size());
  }

  @Test
  void loneSubmit_isSentAtOnce_asABatchOfOne() {
    Coalescer coalescer = new Coalescer(this::answerAtOnce);

    CompletableFuture<BatchWire.Result> answer = coalescer.submit(Operation.release("t", "a2"));

    assertTrue(answer.isDone(), "sent within submit, not later");
    assertEquals(204, answer.join().status());
    assertEquals(1, batches.size());
  }

  @Test
  void aCallerWhoGivesUpBeforeItsBatchLeaves_takesItsOperationOut() throws Exception {
    CompletableFuture<List<BatchWire.Result>> never = new CompletableFuture<>();
    Coalescer coalescer =
        new Coalescer(
            (token, operations) -> {
              batches.add(operations);
              return never;
            });
    coalescer.submit(Operation.release("t", "stuck0"));

    ServerException given =
        assertThrows(
            ServerException.class,
            () ->
                coalescer.call(
                    Operation.release("t", "late0"),
                    () -> "alone",
                    result -> "batched",
                    Duration.ofMillis(200)));

    assertEquals(0, given.status());
    assertEquals(0, coalescer.queued(), "not left behind to be sent later");
    assertEquals(1, batches.size());
  }

  @Test
  void aFailedBatch_failsEachOfItsOperations_andTheNextOneStillGoes() throws Exception {
    ServerException unreachable = new ServerException("unreachable", null);
    CompletableFuture<List<BatchWire.Result>> failing = new CompletableFuture<>();
    Coalescer coalescer =
        new Coalescer(
            (token, operations) -> {
              if (batches.isEmpty()) {
                batches.add(operations);
                return failing;
              }
              return answerAtOnce(token, operations);
            });
    CompletableFuture<BatchWire.Result> first = coalescer.submit(Operation.release("t", "a0"));
    CompletableFuture<BatchWire.Result> second = coalescer.submit(Operation.release("t", "b2"));

    failing.completeExceptionally(unreachable);

    Throwable failure = first.handle((r, e) -> e).get(5, TimeUnit.SECONDS);
    assertSame(unreachable, failure);
    assertEquals(204, second.get(5, TimeUnit.SECONDS).status());
    assertEquals(2, batches.size(), "the queued operation went after the failure");
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
