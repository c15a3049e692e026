package dev.lockstep.web.wait;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Where one suspended request is answered: on the thread of a call made through {@link #inline}
 * while that call runs, else through the off-request executor (see {@link Resumer}).
 *
 * <p>Two answers must stay on their thread. One given while the request's own resource method runs
 * is inside that request, so it nests cleanly and needs no hop. One given by the container's
 * timeout handler must be given before the handler returns: Payara completes a timed-out async
 * request with a {@code 500} when no listener answered it by then.
 */
public final class Resumption implements Executor {
  private final Executor offRequest;

  /**
   * The threads inside an {@link #inline} call: answers from any other thread hop. A set, not one
   * field, so that windows on two threads (a timeout while the resource method still runs) never
   * close each other.
   */
  private final Set<Thread> inline = ConcurrentHashMap.newKeySet();

  public Resumption(Executor offRequest) {
    this.offRequest = Objects.requireNonNull(offRequest, "offRequest");
  }

  /** Runs {@code call}; an answer it gives on this thread is written here, before it returns. */
  public <T> T inline(Supplier<T> call) {
    Thread current = Thread.currentThread();
    if (!inline.add(current)) {
      return call.get(); // already inside a window on this thread: it stays open until that ends
    }
    try {
      return call.get();
    } finally {
      inline.remove(current);
    }
  }

  /** {@link #inline(Supplier)} for a call without a result. */
  public void inline(Runnable call) {
    inline(
        () -> {
          call.run();
          return null;
        });
  }

  @Override
  public void execute(Runnable answer) {
    if (inline.contains(Thread.currentThread())) {
      answer.run();
    } else {
      offRequest.execute(answer);
    }
  }
}
