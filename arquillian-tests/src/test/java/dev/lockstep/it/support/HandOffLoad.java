package dev.lockstep.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server CPU per queued hand-off: PAIRS locks, two sessions on each that take turns, each holding
 * the lock for HOLD_MS (5) before it releases, so that the other's {@code PUT} (wait PT10S) is
 * nearly always queued and granted by that release. The server's CPU time from {@code
 * /proc/PID/stat} over the measured window after a warm-up. Not a test: run it by hand against a
 * running server (see the README's "What profiling changed").
 *
 * <pre>
 * java arquillian-tests/src/test/java/dev/lockstep/it/support/HandOffLoad.java \
 *     PORT PAIRS WARM_S MEASURE_S SERVER_PID [HOLD_MS]
 * </pre>
 *
 * Prints acquires, those answered after a wait in line (their answer closes the connection: {@code
 * Connection: close}; a grant that came before the connection was watched is not counted) and
 * server CPU per acquire+release cycle.
 */
public final class HandOffLoad {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;
  private final String token;

  private HandOffLoad(int port) throws IOException, InterruptedException {
    base = "http://127.0.0.1:" + port + "/api/v1";
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/sessions"))
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString("{\"ttl\":\"PT1H\"}"))
                    .build(),
                BodyHandlers.ofString())
            .body();
    int i = body.indexOf("\"token\":\"");
    token = body.substring(i + 9, body.indexOf('"', i + 9));
  }

  /**
   * Acquires (waiting in line if need be), holds, releases; whether the grant came after a wait.
   */
  private boolean cycle(String lock, long holdMillis) throws IOException, InterruptedException {
    HttpResponse<String> granted =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/locks/" + lock))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString("{\"wait\":\"PT10S\"}"))
                .build(),
            BodyHandlers.ofString());
    if (granted.statusCode() != 200) {
      throw new IllegalStateException("acquire: " + granted.statusCode() + " " + granted.body());
    }
    Thread.sleep(holdMillis); // held a moment, so that the other session's PUT is queued
    HttpResponse<String> released =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/locks/" + lock))
                .header("Authorization", "Bearer " + token)
                .DELETE()
                .build(),
            BodyHandlers.ofString());
    if (released.statusCode() != 204) {
      throw new IllegalStateException("release: " + released.statusCode() + " " + released.body());
    }
    return granted.headers().firstValue("connection").orElse("").equalsIgnoreCase("close");
  }

  private static long cpuTicks(String pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime, in 10 ms ticks
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int pairs = Integer.parseInt(args[1]);
    int warm = Integer.parseInt(args[2]);
    int measure = Integer.parseInt(args[3]);
    String pid = args[4];
    long holdMillis = args.length > 5 ? Long.parseLong(args[5]) : 5;
    AtomicLong acquires = new AtomicLong();
    AtomicLong queued = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean counting = new AtomicBoolean();
    List<Thread> started = new ArrayList<>();
    for (int p = 0; p < pairs; p++) {
      String lock = "handoff/" + p + "/" + System.nanoTime();
      for (int s = 0; s < 2; s++) {
        HandOffLoad client = new HandOffLoad(port);
        Thread thread =
            new Thread(
                () -> {
                  try {
                    while (!stop.get()) {
                      boolean waited = client.cycle(lock, holdMillis);
                      if (counting.get()) {
                        acquires.incrementAndGet();
                        if (waited) {
                          queued.incrementAndGet();
                        }
                      }
                    }
                  } catch (IOException | InterruptedException | RuntimeException e) {
                    e.printStackTrace();
                    System.exit(1);
                  }
                });
        thread.start();
        started.add(thread);
      }
    }
    Thread.sleep(warm * 1000L);
    long cpu0 = cpuTicks(pid);
    long t0 = System.nanoTime();
    counting.set(true);
    Thread.sleep(measure * 1000L);
    counting.set(false);
    long t1 = System.nanoTime();
    long cpu1 = cpuTicks(pid);
    stop.set(true);
    for (Thread thread : started) {
      thread.join(20_000);
    }
    double seconds = (t1 - t0) / 1e9;
    double cpuMicros = (cpu1 - cpu0) * 10_000.0;
    System.out.printf(
        Locale.ROOT,
        "HANDOFF pairs=%d acquires/s=%.0f queued/s=%.0f server_cpu_us_per_cycle=%.0f%n",
        pairs,
        acquires.get() / seconds,
        queued.get() / seconds,
        cpuMicros / acquires.get());
    System.exit(0);
  }
}
