package dev.lockstep.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one timing rule of every throughput workload: running workers first warm up uncounted, then
 * count for the measured window, then stop. The window's length is measured, not assumed, so a
 * sleep that overruns on a loaded machine does not inflate the rate.
 */
final class MeasuredWindow {
  private final Duration warmUp;
  private final Duration measure;

  MeasuredWindow(Duration warmUp, Duration measure) {
    this.warmUp = warmUp;
    this.measure = measure;
  }

  /**
   * Waits out the warm-up, sets {@code counting} for the window, then sets {@code stop} and waits
   * up to 60 s for each worker to end. Returns the window's length in seconds.
   */
  double run(AtomicBoolean counting, AtomicBoolean stop, List<Thread> workers)
      throws InterruptedException {
    Thread.sleep(warmUp.toMillis());
    counting.set(true);
    long start = System.nanoTime();
    Thread.sleep(measure.toMillis());
    counting.set(false);
    double seconds = (System.nanoTime() - start) / 1e9;
    stop.set(true);
    for (Thread worker : workers) {
      worker.join(60_000);
      if (worker.isAlive()) {
        throw new IllegalStateException(worker.getName() + " did not stop within 60 s");
      }
    }
    return seconds;
  }
}
