package dev.lockstep.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One client's requests of its session, coalesced without a timer: at most one is in flight at a
 * time, and the operations that arrive meanwhile go together in the next {@code POST /api/v1/batch}
 * (at most {@link #MAX_OPERATIONS}: 64 with a keep-alive riding along), sent the moment the one in
 * flight is answered. A caller who finds nothing in flight goes at once: as its single call ({@link
 * #call}), or as a batch of one ({@link #submit}, for acquires, which the batch answers at once
 * even when they wait). So a lone caller never waits for another, and under concurrency N
 * operations cost about N / (operations per batch) requests.
 *
 * <p>Every caller bounds its own wait ({@code patience}), whatever the server does: one that gives
 * up before its operation was sent takes it out of the queue; one sent stays sent (the caller's own
 * clean-up, a cancel by request id, follows it in order, since operations leave in the order they
 * came).
 */
final class Coalescer {
  /**
   * The most operations of callers in one batch: the batch call's limit ({@code
   * TableLimits.MAX_BATCH_OPERATIONS}, 64) less one for a keep-alive that rides along.
   */
  static final int MAX_OPERATIONS = 63;

  /** Sends one batch of operations of one session; the results are in order, one per operation. */
  interface BatchSender {
    CompletableFuture<List<BatchWire.Result>> send(String token, List<Operation> operations);
  }

  private record Pending(Operation operation, CompletableFuture<BatchWire.Result> answer) {}

  private final BatchSender sender;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private boolean inFlight;

  Coalescer(BatchSender sender) {
    this.sender = sender;
  }

  /**
   * Runs {@code alone} (the operation's single call) on this thread at once when nothing is in
   * flight; otherwise queues the operation for the next batch and turns its result into the answer
   * with {@code fromBatch}, waiting for it up to {@code patience}. An interrupt does not cut the
   * wait short (a single call cannot be interrupted either): it is kept for the caller.
   *
   * @throws ServerException when the batch was refused or not answered within {@code patience}
   */
  <T> T call(
      Operation operation,
      Supplier<T> alone,
      Function<BatchWire.Result, T> fromBatch,
      Duration patience) {
    Pending pending;
    synchronized (this) {
      if (!inFlight && queue.isEmpty()) {
        inFlight = true;
        pending = null;
      } else {
        pending = new Pending(operation, new CompletableFuture<>());
        queue.add(pending);
      }
    }
    if (pending == null) {
      try {
        return alone.get();
      } finally {
        answered();
      }
    }
    return fromBatch.apply(awaitUninterruptibly(pending, patience));
  }

  /** Queues the operation for the next batch, sent at once when nothing is in flight. */
  CompletableFuture<BatchWire.Result> submit(Operation operation) {
    Pending pending = new Pending(operation, new CompletableFuture<>());
    synchronized (this) {
      queue.add(pending);
    }
    sendNext();
    // A caller who gives up before the batch leaves takes the operation out of it.
    pending.answer().whenComplete((r, e) -> withdraw(pending));
    return pending.answer();
  }

  /** How many operations wait for the next batch: for tests. */
  synchronized int queued() {
    return queue.size();
  }

  private BatchWire.Result awaitUninterruptibly(Pending pending, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return pending.answer().get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r
              ? r
              : new ServerException("batch failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
          withdraw(pending);
          throw new ServerException(
              "the lock server did not answer within " + patience.toMillis() + " ms", null);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private synchronized void withdraw(Pending pending) {
    queue.remove(pending);
  }

  private void answered() {
    synchronized (this) {
      inFlight = false;
    }
    sendNext();
  }

  /** Sends the queue's head batch (one session's operations, in order) unless one is in flight. */
  private void sendNext() {
    List<Pending> batch = new ArrayList<>();
    synchronized (this) {
      if (inFlight || queue.isEmpty()) {
        return;
      }
      String token = queue.peek().operation().token();
      while (batch.size() < MAX_OPERATIONS
          && !queue.isEmpty()
          && queue.peek().operation().token().equals(token)) {
        batch.add(queue.poll());
      }
      inFlight = true;
    }
    CompletableFuture<List<BatchWire.Result>> sent;
    try {
      sent =
          sender.send(
              batch.get(0).operation().token(), batch.stream().map(Pending::operation).toList());
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete(
        (results, failure) -> {
          // Nothing is in flight before the callers hear their answers: a caller woken by its
          // answer (a release after its acquire) then goes alone at once, not in another batch.
          synchronized (this) {
            inFlight = false;
          }
          try {
            deliver(batch, results, failure);
          } finally {
            sendNext();
          }
        });
  }

  private static void deliver(
      List<Pending> batch, List<BatchWire.Result> results, Throwable failure) {
    if (failure == null && (results == null || results.size() != batch.size())) {
      failure =
          new ServerException(
              "the lock server answered a batch of "
                  + batch.size()
                  + " operations with "
                  + (results == null ? 0 : results.size())
                  + " results",
              null);
    }
    for (int i = 0; i < batch.size(); i++) {
      if (failure != null) {
        Throwable cause =
            failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        batch.get(i).answer().completeExceptionally(cause);
      } else {
        batch.get(i).answer().complete(results.get(i));
      }
    }
  }
}
