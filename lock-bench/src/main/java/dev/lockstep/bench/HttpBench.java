package dev.lockstep.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lockstep's own figures over plain HTTP (java.net.http, one session per client thread): contended
 * hand-offs/s of 12 clients on one lock, acquire+release cycles/s of one client, the watchers'
 * figures, and filling the server with sessions and locks for the memory figure. Each workload
 * warms up, then runs for a fixed time; three runs, the median is printed. {@link Bench} uses the
 * watcher and fill parts; the lock figures next to ZooKeeper and etcd come from the lock client
 * there; {@link HttpBenchMain} runs it alone.
 */
public final class HttpBench {
  private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");
  private static final Pattern FENCE = Pattern.compile("\"fencingToken\":(\\d+)");

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  HttpBench(URI base) {
    this.base = base;
  }

  /**
   * {@code watchers} SSE streams on the contended lock's prefix while {@code clients} contend.
   * Returns events delivered per second (summed over watchers) and the p99 and p50, in ms, of the
   * delay from an acquired event's server time to its arrival at a watcher (same clock).
   */
  double[] watched(int watchers, int clients, Duration warmUp, Duration measure) throws Exception {
    String prefix = "bench/watched-" + System.nanoTime() + "/";
    AtomicBoolean counting = new AtomicBoolean(false);
    AtomicLong delivered = new AtomicLong();
    ConcurrentLinkedQueue<Long> delaysMicros = new ConcurrentLinkedQueue<>();
    List<InputStream> streams = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    CountDownLatch subscribed = new CountDownLatch(watchers);
    Pattern at = Pattern.compile("\"at\":\"([^\"]+)\"");
    for (int i = 0; i < watchers; i++) {
      HttpResponse<InputStream> stream =
          http.send(
              HttpRequest.newBuilder(base.resolve("/api/v1/events?prefix=" + prefix)).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      streams.add(stream.body());
      Thread reader =
          new Thread(
              () -> {
                subscribed.countDown();
                try (var lines =
                    new BufferedReader(
                        new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                  String line;
                  boolean acquired = false;
                  while ((line = lines.readLine()) != null) {
                    if (line.startsWith("event:")) {
                      acquired = line.endsWith("acquired");
                    } else if (line.startsWith("data:")) {
                      long now =
                          System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
                      if (counting.get()) {
                        delivered.incrementAndGet();
                        if (acquired) {
                          Matcher m = at.matcher(line);
                          if (m.find()) {
                            Instant sent = Instant.parse(m.group(1));
                            long sentMicros =
                                sent.getEpochSecond() * 1_000_000 + sent.getNano() / 1000;
                            delaysMicros.add(Math.max(0, now - sentMicros));
                          }
                        }
                      }
                    }
                  }
                } catch (IOException e) {
                  // the stream was closed at the end of the run
                }
              });
      reader.setDaemon(true);
      readers.add(reader);
      reader.start();
    }
    subscribed.await();
    AtomicBoolean stop = new AtomicBoolean(false);
    List<Thread> threads = new ArrayList<>();
    String lock = prefix + "lock";
    for (int i = 0; i < clients; i++) {
      String token = openSession();
      Thread t =
          new Thread(
              () -> {
                while (!stop.get()) {
                  HttpResponse<String> grant =
                      send("PUT", "/api/v1/locks/" + lock, token, "{\"wait\":\"PT30S\"}");
                  if (grant.statusCode() == 200) {
                    send("DELETE", "/api/v1/locks/" + lock, token, null);
                  }
                }
              });
      threads.add(t);
      t.start();
    }
    double seconds = new MeasuredWindow(warmUp, measure).run(counting, stop, threads).seconds();
    for (InputStream stream : streams) {
      stream.close();
    }
    long[] sorted = delaysMicros.stream().mapToLong(Long::longValue).sorted().toArray();
    double p99 =
        sorted.length == 0
            ? Double.NaN
            : sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] / 1000.0;
    double p50 = sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2] / 1000.0;
    return new double[] {delivered.get() / seconds, p99, p50};
  }

  /** Hand-offs/s: every grant of the one lock after the warm-up counts once. */
  double contended(int clients, Duration warmUp, Duration measure) throws Exception {
    String lock = "bench/contended-" + System.nanoTime();
    AtomicBoolean counting = new AtomicBoolean(false);
    AtomicBoolean stop = new AtomicBoolean(false);
    AtomicLong grants = new AtomicLong();
    AtomicLong lastToken = new AtomicLong();
    AtomicLong outOfOrder = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(clients);
    for (int i = 0; i < clients; i++) {
      String token = openSession();
      Thread t =
          new Thread(
              () -> {
                ready.countDown();
                while (!stop.get()) {
                  HttpResponse<String> grant =
                      send("PUT", "/api/v1/locks/" + lock, token, "{\"wait\":\"PT30S\"}");
                  if (grant.statusCode() != 200) {
                    continue;
                  }
                  long fence = fence(grant.body());
                  // Inside the critical section: tokens must only grow from one holder to the next.
                  if (fence <= lastToken.getAndSet(fence)) {
                    outOfOrder.incrementAndGet();
                  }
                  if (counting.get()) {
                    grants.incrementAndGet();
                  }
                  send("DELETE", "/api/v1/locks/" + lock, token, null);
                }
              });
      threads.add(t);
      t.start();
    }
    ready.await();
    double seconds = new MeasuredWindow(warmUp, measure).run(counting, stop, threads).seconds();
    if (outOfOrder.get() > 0) {
      throw new IllegalStateException(outOfOrder.get() + " fencing tokens did not grow");
    }
    return grants.get() / seconds;
  }

  /** Cycles/s of one client acquiring and releasing a free lock, one request after another. */
  double singleClient(Duration warmUp, Duration measure) throws Exception {
    String token = openSession();
    String lock = "bench/single-" + System.nanoTime();
    long end = System.nanoTime() + warmUp.toNanos();
    while (System.nanoTime() < end) {
      cycle(token, lock);
    }
    long cycles = 0;
    long start = System.nanoTime();
    end = start + measure.toNanos();
    while (System.nanoTime() < end) {
      cycle(token, lock);
      cycles++;
    }
    return cycles / ((System.nanoTime() - start) / 1e9);
  }

  private void cycle(String token, String lock) {
    HttpResponse<String> grant = send("PUT", "/api/v1/locks/" + lock, token, null);
    if (grant.statusCode() != 200) {
      throw new IllegalStateException("free lock not granted: " + grant.body());
    }
    send("DELETE", "/api/v1/locks/" + lock, token, null);
  }

  /**
   * Opens {@code sessions} sessions of TTL 1 h (no keep-alives needed while the heap is measured)
   * and has each acquire {@code locksPerSession} free locks of its own, from {@code threads}
   * threads, one request after another per thread. Returns the seconds it took.
   */
  double fill(int sessions, int locksPerSession, int threads) throws Exception {
    String prefix = "mem-" + System.nanoTime();
    AtomicLong next = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    long start = System.nanoTime();
    long reportEvery = Math.max(1, sessions / 10);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                for (long s = next.getAndIncrement(); s < sessions; s = next.getAndIncrement()) {
                  HttpResponse<String> created =
                      send("POST", "/api/v1/sessions", null, "{\"ttl\":\"PT1H\"}");
                  Matcher m = TOKEN.matcher(created.body());
                  if (created.statusCode() != 201 || !m.find()) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(
                        null, "session: " + created.statusCode() + " " + created.body());
                    continue;
                  }
                  String token = m.group(1);
                  for (int l = 0; l < locksPerSession; l++) {
                    HttpResponse<String> grant =
                        send("PUT", "/api/v1/locks/" + prefix + "/s" + s + "/l" + l, token, null);
                    if (grant.statusCode() != 200) {
                      failures.incrementAndGet();
                      firstFailure.compareAndSet(
                          null, "lock: " + grant.statusCode() + " " + grant.body());
                    }
                  }
                  if ((s + 1) % reportEvery == 0) {
                    System.out.printf(
                        "  memory fill: %d/%d sessions, %.0f s%n",
                        s + 1, sessions, (System.nanoTime() - start) / 1e9);
                  }
                }
              },
              "fill-" + t);
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (failures.get() > 0) {
      throw new IllegalStateException(
          failures.get() + " requests failed while filling, first: " + firstFailure.get());
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private String openSession() {
    HttpResponse<String> created = send("POST", "/api/v1/sessions", null, "{\"ttl\":\"PT60S\"}");
    Matcher m = TOKEN.matcher(created.body());
    if (created.statusCode() != 201 || !m.find()) {
      throw new IllegalStateException("no session: " + created.body());
    }
    String token = m.group(1);
    String id = token.substring(0, token.indexOf('.'));
    // Keep the session alive for as long as the benchmark runs.
    Thread keepAlive =
        new Thread(
            () -> {
              while (true) {
                try {
                  Thread.sleep(10_000);
                } catch (InterruptedException e) {
                  return;
                }
                send("POST", "/api/v1/sessions/" + id + "/keepalive", token, null);
              }
            });
    keepAlive.setDaemon(true);
    keepAlive.start();
    return token;
  }

  private static long fence(String body) {
    Matcher m = FENCE.matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("grant without a fencing token: " + body);
    }
    return Long.parseLong(m.group(1));
  }

  private HttpResponse<String> send(String method, String path, String token, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
