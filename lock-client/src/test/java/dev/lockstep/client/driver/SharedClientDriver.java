package dev.lockstep.client.driver;

import dev.lockstep.client.LockClient;
import dev.lockstep.client.LockClientConfig;
import dev.lockstep.client.LockClientConfig.ServerSettings;
import dev.lockstep.client.LockHandle;
import dev.lockstep.client.ServerLauncher;
import dev.lockstep.client.ServerLauncher.LockServer;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A quick driver, not a test: 16 threads share one {@link LockClient}, each on a lock of its own,
 * in an acquire + release loop; after a warm-up it counts cycles and the client's HTTP requests
 * (every one, keep-alives and grant-channel polls too) over the measured window and prints {@code
 * DRIVER threads=16 cycles_per_s=... requests_per_cycle=...}. It uses only the public API, so the
 * same source measures the client of main and of this branch.
 *
 * <p>Arguments: payara-micro.jar, the WAR, a port, a data directory; optional: threads, warm-up s,
 * measured s (16, 10, 20).
 */
public final class SharedClientDriver {
  private SharedClientDriver() {}

  /** Counts the client's requests. */
  private static final class Counter implements ClientRequestFilter {
    private final LongAdder requests = new LongAdder();

    @Override
    public void filter(ClientRequestContext request) {
      requests.increment();
    }
  }

  public static void main(String[] args) throws Exception {
    int threads = args.length > 4 ? Integer.parseInt(args[4]) : 16;
    Duration warmUp = Duration.ofSeconds(args.length > 5 ? Long.parseLong(args[5]) : 10);
    Duration measured = Duration.ofSeconds(args.length > 6 ? Long.parseLong(args[6]) : 20);
    ServerSettings settings =
        new ServerSettings(
            Path.of(args[0]),
            Path.of(args[1]),
            Integer.parseInt(args[2]),
            Path.of(args[3]),
            Duration.ofSeconds(1),
            Duration.ofHours(1));
    Counter counter = new Counter();
    try (LockServer server = ServerLauncher.start(settings);
        LockClient client =
            LockClient.create(
                LockClientConfig.connect(server.url()).withCache(false).withProviders(counter))) {
      LongAdder cycles = new LongAdder();
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String name = "driver/shared-" + i;
        Thread worker =
            new Thread(
                () -> {
                  while (running.get()) {
                    try (LockHandle handle = client.acquire(name)) {
                      cycles.increment();
                    }
                  }
                },
                "driver-" + i);
        worker.start();
        workers.add(worker);
      }
      Thread.sleep(warmUp.toMillis());
      long cyclesBefore = cycles.sum();
      long requestsBefore = counter.requests.sum();
      long start = System.nanoTime();
      Thread.sleep(measured.toMillis());
      long done = cycles.sum() - cyclesBefore;
      long requests = counter.requests.sum() - requestsBefore;
      double seconds = (System.nanoTime() - start) / 1e9;
      running.set(false);
      for (Thread worker : workers) {
        worker.join(10_000);
      }
      System.out.printf(
          "DRIVER threads=%d cycles_per_s=%.0f requests_per_cycle=%.3f cycles=%d requests=%d%n",
          threads, done / seconds, (double) requests / Math.max(1, done), done, requests);
    }
  }
}
