package dev.lockstep.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One session's grant channel (README, "What the server adds to the contract"): the endings of its
 * batch-queued waits, read by one long poll at a time however many threads wait, so that N waits
 * share one connection. The poll runs only while some wait is queued; it asks for the endings after
 * the last seq seen, and after a dropped connection asks again with the same {@code after} (nothing
 * is lost). A {@code reset} (the server restarted, or the waits outran its memory) ends every wait
 * still open with {@link WaitResetException}: the waiter queues again.
 */
final class GrantChannel {
  private static final Logger LOG = Logger.getLogger(GrantChannel.class.getName());

  /** How long one poll waits on the server for an ending. */
  static final Duration POLL_WAIT = Duration.ofSeconds(25);

  private static final long RETRY_FIRST_MILLIS = 50;

  /** One poll of the channel: the endings after {@code after}, waiting up to {@code wait}. */
  interface Source {
    BatchWire.Endings poll(long after, Duration wait);
  }

  /** A wait the channel can no longer tell the end of: queue it again. */
  static final class WaitResetException extends ServerException {
    WaitResetException() {
      super(
          "the lock server no longer knows this wait (it restarted, or its channel was reset);"
              + " queue again",
          null);
    }
  }

  private final Source source;
  private final Executor poller;
  private final Duration pollWait;

  /** Every wait announced, by request id, until its ending comes or it is forgotten. */
  private final Map<String, CompletableFuture<BatchWire.Result>> expected = new HashMap<>();

  /** The expected waits the server answered {@code 202 queued}: the poll runs while there are. */
  private final Set<String> queued = new HashSet<>();

  private long after;
  private boolean polling;
  private boolean closed;

  GrantChannel(Source source, Executor poller, Duration pollWait) {
    this.source = source;
    this.poller = poller;
    this.pollWait = pollWait;
  }

  /**
   * Announces a wait before its acquire is sent, so that an ending read before the batch's answer
   * (another wait's poll may read it first) is not lost.
   */
  synchronized CompletableFuture<BatchWire.Result> expect(String requestId) {
    CompletableFuture<BatchWire.Result> ending = new CompletableFuture<>();
    expected.put(requestId, ending);
    ending.whenComplete((r, e) -> forget(requestId));
    return ending;
  }

  /** The server queued the wait: its ending comes on the channel, so poll until it does. */
  void queued(String requestId) {
    synchronized (this) {
      if (!expected.containsKey(requestId) || closed) {
        return; // ended already (read by another poll) or forgotten
      }
      queued.add(requestId);
      if (polling) {
        return;
      }
      polling = true;
    }
    try {
      poller.execute(this::pollWhileQueued);
    } catch (RuntimeException e) {
      fail(new ServerException("the lock client is closing", e));
    }
  }

  /** Stops expecting the wait: its ending, if one comes, is of no interest. */
  synchronized void forget(String requestId) {
    expected.remove(requestId);
    queued.remove(requestId);
  }

  /** Ends every open wait with {@code failure} and polls no more. */
  void close() {
    synchronized (this) {
      closed = true;
    }
    fail(new ServerException("the lock client was closed", null));
  }

  private void pollWhileQueued() {
    long retryMillis = RETRY_FIRST_MILLIS;
    while (true) {
      long from;
      synchronized (this) {
        if (queued.isEmpty() || closed) {
          polling = false;
          return;
        }
        from = after;
      }
      BatchWire.Endings answer;
      try {
        answer = source.poll(from, pollWait);
        retryMillis = RETRY_FIRST_MILLIS;
      } catch (ServerException e) {
        if (e.status() != 0 && e.status() < 500) {
          fail(e); // the session is gone (401/404), or the poll refused: no ending will come
          continue;
        }
        LOG.log(Level.FINE, "grant channel poll failed; polling again from " + from, e);
        if (!pause(retryMillis)) {
          return;
        }
        retryMillis = Math.min(KeepAliveTimer.RETRY_MAX.toMillis(), retryMillis * 2);
        continue;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "grant channel poll failed unexpectedly", e);
        fail(new ServerException("the grant channel failed: " + e, e));
        continue;
      }
      deliver(answer);
    }
  }

  private void deliver(BatchWire.Endings answer) {
    List<CompletableFuture<BatchWire.Result>> reset = new ArrayList<>();
    List<Map.Entry<CompletableFuture<BatchWire.Result>, BatchWire.Result>> ended =
        new ArrayList<>();
    synchronized (this) {
      for (BatchWire.Ending ending :
          answer.endings() == null ? List.<BatchWire.Ending>of() : answer.endings()) {
        CompletableFuture<BatchWire.Result> waiting = expected.get(ending.requestId());
        if (waiting != null) {
          ended.add(Map.entry(waiting, ending.result()));
        }
      }
      after = answer.next();
      if (answer.reset()) {
        for (String id : queued) {
          reset.add(expected.get(id));
        }
      }
    }
    // Completed outside the lock: completing runs the waiter's own stages.
    ended.forEach(e -> e.getKey().complete(e.getValue()));
    reset.forEach(w -> w.completeExceptionally(new WaitResetException()));
  }

  private void fail(ServerException failure) {
    List<CompletableFuture<BatchWire.Result>> open;
    synchronized (this) {
      open = new ArrayList<>(expected.values());
    }
    open.forEach(w -> w.completeExceptionally(failure));
  }

  private boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      synchronized (this) {
        polling = false;
      }
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
