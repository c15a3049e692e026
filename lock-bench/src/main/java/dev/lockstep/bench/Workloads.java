package dev.lockstep.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The workloads, written once against {@link LockSystem}. Each opens its clients first (not
 * measured), warms up, then counts for a fixed time; threads stop by themselves when the time is up
 * (a waiting thread stops after its next grant).
 */
final class Workloads {
  /** Past this many failed calls in one run the run is abandoned. */
  private static final long MAX_ERRORS = 100;

  /**
   * Operations per second, and the server's CPU per operation over the same window when its process
   * is known.
   */
  record Throughput(double perSecond, OptionalDouble serverMicrosPerOp) {}

  private final Duration warmUp;
  private final Duration measure;
  private final Map<String, ProcessCpu> servers;

  /** Failed calls (exceptions from acquire or release) per system, over all runs. */
  final Map<String, Long> errorCounts = new ConcurrentHashMap<>();

  /** {@code servers}: the server process of each system whose CPU is read, by system name. */
  Workloads(Duration warmUp, Duration measure, Map<String, ProcessCpu> servers) {
    this.warmUp = warmUp;
    this.measure = measure;
    this.servers = Map.copyOf(servers);
  }

  /**
   * Cycles/s: {@code threads} threads, each acquiring and releasing a lock of its own, on {@code
   * clients} clients (thread i on client i mod clients): as many clients as threads is one session
   * per thread, one client is one session shared by all.
   */
  Throughput uncontended(LockSystem system, int threads, int clients) throws Exception {
    String run = "bench/uncontended-" + System.nanoTime();
    AtomicLong cycles = new AtomicLong();
    MeasuredWindow.Window window =
        drive(
            system,
            threads,
            clients,
            (client, i, counting) -> {
              client.acquire(run + "/" + i).release();
              if (counting.get()) {
                cycles.incrementAndGet();
              }
            });
    return new Throughput(cycles.get() / window.seconds(), window.serverMicrosPer(cycles.get()));
  }

  /**
   * Hand-offs/s: {@code threads} clients on one lock, each releasing as soon as it is granted.
   * Mutual exclusion is checked inside the critical section; a breach fails the run.
   */
  Throughput contended(LockSystem system, int threads) throws Exception {
    String lock = "bench/contended-" + System.nanoTime();
    AtomicLong grants = new AtomicLong();
    AtomicInteger inside = new AtomicInteger();
    AtomicLong breaches = new AtomicLong();
    MeasuredWindow.Window window =
        drive(
            system,
            threads,
            threads,
            (client, i, counting) -> {
              LockSystem.Held held = client.acquire(lock);
              if (inside.incrementAndGet() != 1) {
                breaches.incrementAndGet();
              }
              if (counting.get()) {
                grants.incrementAndGet();
              }
              inside.decrementAndGet();
              held.release();
            });
    if (breaches.get() > 0) {
      throw new IllegalStateException(
          system.name() + ": " + breaches.get() + " grants while another client was inside");
    }
    return new Throughput(grants.get() / window.seconds(), window.serverMicrosPer(grants.get()));
  }

  /** p50, p99, p999 in ms of acquiring a free lock: one client, acquire then release, in a loop. */
  double[] freeAcquireLatency(LockSystem system) throws Exception {
    String lock = "bench/free-" + System.nanoTime();
    Samples samples = new Samples();
    drive(
        system,
        1,
        1,
        (client, i, counting) -> {
          long start = System.nanoTime();
          LockSystem.Held held = client.acquire(lock);
          long granted = System.nanoTime();
          held.release();
          if (counting.get()) {
            samples.add(granted - start);
          }
        });
    samples.report(system, "acquires");
    return samples.percentilesMillis(0.50, 0.99, 0.999);
  }

  /**
   * p50, p99 in ms from the moment a holder starts its release to the moment the next waiter's
   * acquire returns: {@code threads} clients on one lock. A sample counts only when the grantee had
   * asked before that release began (else the lock was free, not handed off).
   */
  double[] handOffLatency(LockSystem system, int threads) throws Exception {
    String lock = "bench/handoff-" + System.nanoTime();
    Samples samples = new Samples();
    // Written only by the holder, read only by the next holder: the lock orders the two.
    AtomicLong releaseStarted = new AtomicLong(Long.MAX_VALUE);
    drive(
        system,
        threads,
        threads,
        (client, i, counting) -> {
          long asked = System.nanoTime();
          LockSystem.Held held = client.acquire(lock);
          long granted = System.nanoTime();
          long released = releaseStarted.get();
          if (counting.get() && asked < released && released != Long.MAX_VALUE) {
            samples.add(granted - released);
          }
          releaseStarted.set(System.nanoTime());
          held.release();
        });
    samples.report(system, "hand-offs");
    return samples.percentilesMillis(0.50, 0.99);
  }

  interface Step {
    void run(LockSystem.Client client, int thread, AtomicBoolean counting) throws Exception;
  }

  /**
   * Runs {@code step} in a loop on {@code threads} threads sharing {@code clientCount} clients
   * (thread i on client i mod clientCount); returns the measured window.
   */
  private MeasuredWindow.Window drive(LockSystem system, int threads, int clientCount, Step step)
      throws Exception {
    List<LockSystem.Client> clients = new ArrayList<>();
    try {
      for (int i = 0; i < clientCount; i++) {
        clients.add(system.connect());
      }
      AtomicBoolean counting = new AtomicBoolean(false);
      AtomicBoolean stop = new AtomicBoolean(false);
      AtomicLong errors = new AtomicLong();
      AtomicReference<Exception> firstError = new AtomicReference<>();
      CountDownLatch ready = new CountDownLatch(threads);
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int index = i;
        LockSystem.Client client = clients.get(i % clientCount);
        Thread worker =
            new Thread(
                () -> {
                  ready.countDown();
                  while (!stop.get()) {
                    long started = System.nanoTime();
                    try {
                      step.run(client, index, counting);
                    } catch (Exception e) {
                      e.addSuppressed(
                          new Exception(
                              String.format(
                                  "the step failed after %.1f ms",
                                  (System.nanoTime() - started) / 1e6)));
                      // A refused or failed call is counted and reported, and the client goes on:
                      // one
                      // error under load should not cost the whole run its figures.
                      if (errors.incrementAndGet() == 1) {
                        firstError.set(e);
                      }
                      if (errors.get() > MAX_ERRORS) {
                        stop.set(true);
                      }
                    }
                  }
                },
                system.name() + "-client-" + i);
        worker.setDaemon(true);
        workers.add(worker);
        worker.start();
      }
      ready.await();
      MeasuredWindow.Window window =
          new MeasuredWindow(warmUp, measure, Optional.ofNullable(servers.get(system.name())))
              .run(counting, stop, workers);
      if (errors.get() > 0) {
        errorCounts.merge(system.name(), errors.get(), Long::sum);
        System.out.printf(
            "    %s: %d failed calls, the first: %s (%s)%n",
            system.name(),
            errors.get(),
            firstError.get(),
            firstError.get().getSuppressed()[0].getMessage());
      }
      if (errors.get() > MAX_ERRORS) {
        throw new IllegalStateException(
            system.name() + ": more than " + MAX_ERRORS + " failed calls", firstError.get());
      }
      return window;
    } finally {
      for (LockSystem.Client client : clients) {
        try {
          client.close();
        } catch (Exception e) {
          System.err.println(system.name() + ": closing a client: " + e);
        }
      }
    }
  }

  /** Durations in nanoseconds, from any thread. */
  static final class Samples {
    private long[] values = new long[1 << 14];
    private int size;

    synchronized void add(long nanos) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = nanos;
    }

    /** One line per run: how many samples the percentiles stand on. */
    synchronized void report(LockSystem system, String what) {
      System.out.printf("    %-10s %d %s sampled%n", system.name(), size, what);
    }

    synchronized double[] percentilesMillis(double... quantiles) {
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      double[] result = new double[quantiles.length];
      for (int i = 0; i < quantiles.length; i++) {
        result[i] =
            sorted.length == 0
                ? Double.NaN
                : sorted[
                        (int) Math.min(sorted.length - 1, Math.floor(sorted.length * quantiles[i]))]
                    / 1e6;
      }
      return result;
    }
  }
}
