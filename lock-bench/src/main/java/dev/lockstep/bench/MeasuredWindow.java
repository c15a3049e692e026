package dev.lockstep.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one timing rule of every throughput workload: running workers first warm up uncounted, then
 * count for the measured window, then stop. The window's length is measured, not assumed, so a
 * sleep that overruns on a loaded machine does not inflate the rate. When the server's process is
 * known, its CPU time is read at both edges of the window, so the warm-up and the stopping are not
 * charged to the counted operations.
 */
final class MeasuredWindow {
  /** The window's length in seconds, and the server's CPU seconds within it when known. */
  record Window(double seconds, OptionalDouble serverCpuSeconds) {
    /** Server CPU in microseconds per counted operation, when known and anything was counted. */
    OptionalDouble serverMicrosPer(long operations) {
      return serverCpuSeconds.isPresent() && operations > 0
          ? OptionalDouble.of(serverCpuSeconds.getAsDouble() * 1e6 / operations)
          : OptionalDouble.empty();
    }
  }

  private final Duration warmUp;
  private final Duration measure;
  private final Optional<ProcessCpu> server;

  MeasuredWindow(Duration warmUp, Duration measure) {
    this(warmUp, measure, Optional.empty());
  }

  MeasuredWindow(Duration warmUp, Duration measure, Optional<ProcessCpu> server) {
    this.warmUp = warmUp;
    this.measure = measure;
    this.server = server;
  }

  /**
   * Waits out the warm-up, sets {@code counting} for the window, then sets {@code stop} and waits
   * up to 60 s for each worker to end.
   */
  Window run(AtomicBoolean counting, AtomicBoolean stop, List<Thread> workers)
      throws InterruptedException, IOException {
    Thread.sleep(warmUp.toMillis());
    double cpuBefore = server.isPresent() ? server.get().seconds() : 0;
    counting.set(true);
    long start = System.nanoTime();
    Thread.sleep(measure.toMillis());
    counting.set(false);
    double seconds = (System.nanoTime() - start) / 1e9;
    OptionalDouble cpu =
        server.isPresent()
            ? OptionalDouble.of(server.get().seconds() - cpuBefore)
            : OptionalDouble.empty();
    stop.set(true);
    for (Thread worker : workers) {
      worker.join(60_000);
      if (worker.isAlive()) {
        throw new IllegalStateException(worker.getName() + " did not stop within 60 s");
      }
    }
    return new Window(seconds, cpu);
  }
}
