package dev.lockstep.client;

import java.util.concurrent.CompletableFuture;

/**
 * An acquire on a thread of its own, as a future: cancelling the future interrupts the wait (its
 * request is withdrawn), and a grant that arrives after the cancel is released at once.
 */
final class AsyncAcquire {
  /** The interruptible acquire the thread runs. */
  interface Acquire {
    LockHandle run() throws InterruptedException;
  }

  private AsyncAcquire() {}

  static CompletableFuture<LockHandle> start(String name, Acquire acquire) {
    CompletableFuture<LockHandle> result = new CompletableFuture<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                LockHandle handle = acquire.run();
                if (!result.complete(handle)) {
                  handle.close(); // cancelled as it was granted: give it back
                }
              } catch (InterruptedException e) {
                result.cancel(false);
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
            },
            "lockstep-acquire-" + name);
    waiter.setDaemon(true);
    result.whenComplete(
        (handle, failure) -> {
          if (result.isCancelled()) {
            waiter.interrupt();
          }
        });
    waiter.start();
    return result;
  }
}
