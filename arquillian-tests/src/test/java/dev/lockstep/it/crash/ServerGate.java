package dev.lockstep.it.crash;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * Whether the crash test's clients may talk to the server, and to which of its lives (the epoch: 0
 * for the first start, +1 per restart). The controller closes the gate before it kills the server
 * and opens it only after it has checked what the restart kept: a client that sent while the server
 * boots would see the web container's own 404 before the WAR is deployed, and a release sent before
 * the check would hide a grant the restart lost.
 */
final class ServerGate {
  private boolean open;
  private int epoch = -1;

  synchronized void open(int nextEpoch) {
    epoch = nextEpoch;
    open = true;
    notifyAll();
  }

  synchronized void close() {
    open = false;
  }

  /** Blocks until the gate is open, at most {@code max}; the epoch, or empty on time-out. */
  synchronized OptionalInt awaitOpen(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!open) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return OptionalInt.empty();
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return OptionalInt.of(epoch);
  }

  synchronized boolean isOpen() {
    return open;
  }
}
