package dev.lockstep.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.ClientThreads;
import dev.lockstep.it.support.OpenedSessions;
import dev.lockstep.it.support.RawHttpConnection;
import dev.lockstep.it.support.TestSession;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many sessions on one lock: mutual exclusion, fencing order, FIFO, no writer starvation and the
 * end of a wait. Each test has its own lock and sessions, so the tests run in any order.
 */
abstract class ContentionTests {
  private static final Duration GRANT_SEEN = Duration.ofSeconds(10);

  private final Api api = Api.ofServerUnderTest();
  @RegisterExtension final OpenedSessions sessions = new OpenedSessions(api);
  @RegisterExtension final ClientThreads clients = new ClientThreads();

  @Test
  void acquire_withTwelveContenders_admitsOneHolderAtATimeWithGrowingTokens() throws Exception {
    int contenders = 12;
    int rounds = 15;
    String lock = uniqueLock();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInside = new AtomicInteger();
    // Appended inside the critical section: if the server excludes correctly, this is grant order.
    List<Long> tokensInOrderSeen = Collections.synchronizedList(new ArrayList<>());
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < contenders; c++) {
      TestSession session = open("PT120S");
      done.add(
          clients.submit(
              () -> {
                start.await();
                for (int round = 0; round < rounds; round++) {
                  HttpResponse<String> answer = session.acquire(lock, "exclusive", "PT30S");
                  if (answer.statusCode() != 200) {
                    failures.add(
                        session.id()
                            + " round "
                            + round
                            + ": "
                            + answer.statusCode()
                            + " "
                            + answer.body());
                    continue;
                  }
                  mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                  tokensInOrderSeen.add(Api.json(answer).getJsonNumber("fencingToken").longValue());
                  Thread.sleep(3); // hold it for a moment, so that others pile up in the queue
                  inside.decrementAndGet();
                  HttpResponse<String> released = session.release(lock);
                  if (released.statusCode() != 204) {
                    failures.add(
                        session.id()
                            + " release "
                            + round
                            + ": "
                            + released.statusCode()
                            + " "
                            + released.body());
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> contender : done) {
      contender.get(120, SECONDS);
    }

    assertEquals(List.of(), failures, "every acquisition is granted within its wait");
    assertEquals(1, mostInside.get(), "holders inside the critical section at once");
    assertEquals(contenders * rounds, tokensInOrderSeen.size());
    List<Long> tokens = List.copyOf(tokensInOrderSeen);
    for (int i = 1; i < tokens.size(); i++) {
      assertTrue(
          tokens.get(i) > tokens.get(i - 1),
          "fencing tokens grow in grant order, but grant "
              + i
              + " has "
              + tokens.get(i)
              + " after "
              + tokens.get(i - 1)
              + ": "
              + tokens);
    }
    assertEquals("free", api.lock(lock).getString("state"));
  }

  @Test
  void acquire_withReadersAndWriters_neverAdmitsWriterBesideAnyone() throws Exception {
    int writers = 4;
    int readers = 8;
    int rounds = 10;
    String lock = uniqueLock();
    AtomicInteger writersInside = new AtomicInteger();
    AtomicInteger readersInside = new AtomicInteger();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < writers + readers; c++) {
      boolean writer = c < writers;
      TestSession session = open("PT120S");
      done.add(
          clients.submit(
              () -> {
                start.await();
                for (int round = 0; round < rounds; round++) {
                  HttpResponse<String> answer =
                      session.acquire(lock, writer ? "exclusive" : "shared", "PT30S");
                  if (answer.statusCode() != 200) {
                    failures.add(
                        session.id()
                            + " round "
                            + round
                            + ": "
                            + answer.statusCode()
                            + " "
                            + answer.body());
                    continue;
                  }
                  // Each side announces itself before looking at the other, so an overlap is always
                  // seen
                  // by at least one of the two.
                  if (writer) {
                    int w = writersInside.incrementAndGet();
                    int r = readersInside.get();
                    if (w != 1 || r != 0) {
                      failures.add(
                          "writer granted beside " + (w - 1) + " writers and " + r + " readers");
                    }
                  } else {
                    readersInside.incrementAndGet();
                    int w = writersInside.get();
                    if (w != 0) {
                      failures.add("reader granted beside " + w + " writers");
                    }
                  }
                  Thread.sleep(2);
                  (writer ? writersInside : readersInside).decrementAndGet();
                  HttpResponse<String> released = session.release(lock);
                  if (released.statusCode() != 204) {
                    failures.add(session.id() + " release " + round + ": " + released.statusCode());
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> contender : done) {
      contender.get(120, SECONDS);
    }

    assertEquals(List.of(), failures);
    assertEquals("free", api.lock(lock).getString("state"));
  }

  @Test
  void release_withFiveQueued_grantsInQueueOrder() throws Exception {
    String lock = uniqueLock();
    TestSession holder = open("PT60S");
    assertEquals(200, holder.acquire(lock, "exclusive", "PT0S").statusCode());
    List<TestSession> queue = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> grants = new ArrayList<>();
    for (int k = 1; k <= 5; k++) {
      TestSession waiter = open("PT60S");
      queue.add(waiter);
      grants.add(acquireAsync(waiter, lock, "exclusive", "PT30S"));
      int queued = k;
      await()
          .atMost(5, SECONDS)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> api.waiters(lock).size() == queued);
    }
    assertEquals(ids(queue), api.waiters(lock), "queue order is arrival order");

    List<Long> tokensInQueueOrder = new ArrayList<>();
    TestSession releasing = holder;
    for (int i = 0; i < queue.size(); i++) {
      assertEquals(204, releasing.release(lock).statusCode());
      HttpResponse<String> granted = grants.get(i).get(GRANT_SEEN.toSeconds(), SECONDS);
      assertEquals(200, granted.statusCode(), granted.body());
      JsonObject grant = Api.json(granted);
      assertEquals(queue.get(i).id(), grant.getString("session"));
      tokensInQueueOrder.add(grant.getJsonNumber("fencingToken").longValue());
      // Only the head was granted: everyone behind it still waits, in the same order.
      assertEquals(List.of(queue.get(i).id()), api.holders(lock));
      assertEquals(ids(queue.subList(i + 1, queue.size())), api.waiters(lock));
      for (int later = i + 1; later < grants.size(); later++) {
        assertFalse(grants.get(later).isDone(), "waiter " + later + " answered early");
      }
      releasing = queue.get(i);
    }
    assertEquals(204, releasing.release(lock).statusCode());
    List<Long> sorted = new ArrayList<>(tokensInQueueOrder);
    Collections.sort(sorted);
    assertEquals(sorted, tokensInQueueOrder, "fencing tokens follow the queue order");
    assertEquals(5, tokensInQueueOrder.stream().distinct().count());
    assertEquals("free", api.lock(lock).getString("state"));
  }

  @Test
  void acquireShared_behindQueuedWriter_waitsUntilWriterReleases() throws Exception {
    String lock = uniqueLock();
    TestSession reader1 = open("PT60S");
    TestSession reader2 = open("PT60S");
    TestSession writer = open("PT60S");
    TestSession lateReader = open("PT60S");
    assertEquals(200, reader1.acquire(lock, "shared", "PT0S").statusCode());
    assertEquals(200, reader2.acquire(lock, "shared", "PT0S").statusCode());

    CompletableFuture<HttpResponse<String>> writerGrant =
        acquireAsync(writer, lock, "exclusive", "PT30S");
    await()
        .atMost(5, SECONDS)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> api.waiters(lock).equals(List.of(writer.id())));
    CompletableFuture<HttpResponse<String>> lateReaderGrant =
        acquireAsync(lateReader, lock, "shared", "PT30S");
    // A shared request is compatible with the shared holders, yet it must queue behind the writer.
    await()
        .atMost(5, SECONDS)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> api.waiters(lock).equals(List.of(writer.id(), lateReader.id())));
    assertEquals(List.of(reader1.id(), reader2.id()), api.holders(lock));
    assertFalse(lateReaderGrant.isDone(), "the late reader passed the waiting writer");

    assertEquals(204, reader1.release(lock).statusCode());
    assertEquals(List.of(reader2.id()), api.holders(lock));
    assertEquals(List.of(writer.id(), lateReader.id()), api.waiters(lock));
    assertFalse(writerGrant.isDone(), "the writer was granted next to a shared holder");

    assertEquals(204, reader2.release(lock).statusCode());
    HttpResponse<String> writerAnswer = writerGrant.get(GRANT_SEEN.toSeconds(), SECONDS);
    assertEquals(200, writerAnswer.statusCode(), writerAnswer.body());
    JsonObject writerView = Api.json(writerAnswer);
    assertEquals("exclusive", writerView.getString("mode"));
    JsonObject held = api.lock(lock);
    assertEquals("exclusive", held.getString("mode"));
    assertEquals(List.of(writer.id()), api.holders(lock));
    assertEquals(List.of(lateReader.id()), api.waiters(lock));
    assertFalse(lateReaderGrant.isDone(), "the late reader was granted next to the writer");

    assertEquals(204, writer.release(lock).statusCode());
    HttpResponse<String> readerAnswer = lateReaderGrant.get(GRANT_SEEN.toSeconds(), SECONDS);
    assertEquals(200, readerAnswer.statusCode(), readerAnswer.body());
    JsonObject readerView = Api.json(readerAnswer);
    assertEquals("shared", readerView.getString("mode"));
    assertTrue(
        readerView.getJsonNumber("fencingToken").longValue()
            > writerView.getJsonNumber("fencingToken").longValue());
    assertEquals(List.of(lateReader.id()), api.holders(lock));
    assertEquals(List.of(), api.waiters(lock));
  }

  @Test
  void acquire_whenWaitRunsOut_answersConflictAfterTheWaitAndLeavesTheQueue() {
    String lock = uniqueLock();
    TestSession holder = open("PT60S");
    TestSession waiter = open("PT60S");
    HttpResponse<String> held = holder.acquire(lock, "exclusive", "PT0S");
    assertEquals(200, held.statusCode());

    long started = System.nanoTime();
    HttpResponse<String> refused = waiter.acquire(lock, "exclusive", "PT1S");
    Duration waited = Duration.ofNanos(System.nanoTime() - started);

    assertEquals(409, refused.statusCode(), refused.body());
    assertTrue(waited.compareTo(Duration.ofMillis(900)) >= 0, "answered after only " + waited);
    assertTrue(waited.compareTo(Duration.ofMillis(2500)) <= 0, "answered only after " + waited);
    assertEquals(
        "application/problem+json",
        refused.headers().firstValue("Content-Type").orElse("").split(";")[0]);
    JsonObject problem = Api.json(refused);
    assertTrue(problem.getString("type").endsWith("/conflict"), problem.toString());
    assertEquals(
        List.of(holder.id()),
        problem.getJsonArray("holders").getValuesAs(JsonObject.class).stream()
            .map(h -> h.getString("session"))
            .toList());
    assertEquals(List.of(), api.waiters(lock), "the timed-out request left the queue");
    assertEquals(List.of(holder.id()), api.holders(lock));
    assertEquals(List.of(), waiter.locks());
  }

  /**
   * Hand-offs in quick succession, each client on a kept-alive connection of its own that writes a
   * request's head and body apart (as HttpURLConnection, under Jersey's client, does). Watching a
   * waiting request's connection for a disconnect changes how Grizzly reads it, and the next
   * request on that connection could lose its body (answered 400 "could not read the request body",
   * a few times in a thousand requests). The server now closes such a connection after the answer,
   * and the client opens a new one. Every request here must be answered as the contract says, and
   * none may take long.
   */
  @Test
  void quickHandOffs_overKeptAliveConnections_answerEveryRequestPromptly() throws Exception {
    int contenders = 12;
    int rounds = 80;
    Duration slow = Duration.ofSeconds(10);
    String lock = uniqueLock();
    String path = "/api/v1/locks/" + lock;
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger granted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < contenders; c++) {
      TestSession session = open("PT120S");
      done.add(
          clients.submit(
              () -> {
                // A raw socket: the test needs the server's Connection: close and one connection
                // reused for head-then-body requests, which HttpClient's pool hides.
                RawHttpConnection connection = RawHttpConnection.open(api, Duration.ofSeconds(40));
                try {
                  start.await();
                  for (int round = 0; round < rounds && failures.isEmpty(); round++) {
                    long t = System.nanoTime();
                    connection.send(
                        "PUT",
                        path,
                        session.token(),
                        "{\"mode\":\"exclusive\",\"wait\":\"PT20S\"}",
                        Duration.ofMillis(1));
                    RawHttpConnection.Answer answer = connection.read();
                    if ("close".equalsIgnoreCase(answer.headers().get("connection"))) {
                      // The server closes a connection after a wait; a client opens a new one.
                      connection.close();
                      connection = RawHttpConnection.open(api, Duration.ofSeconds(40));
                    }
                    Duration took = Duration.ofNanos(System.nanoTime() - t);
                    if (answer.status() != 200 || took.compareTo(slow) > 0) {
                      failures.add(
                          session.id()
                              + " acquire "
                              + round
                              + " took "
                              + took
                              + ": "
                              + answer.status()
                              + " "
                              + answer.body());
                      continue;
                    }
                    granted.incrementAndGet();
                    t = System.nanoTime();
                    RawHttpConnection.Answer released =
                        connection.exchange("DELETE", path, session.token(), null);
                    took = Duration.ofNanos(System.nanoTime() - t);
                    if (released.status() != 204 || took.compareTo(slow) > 0) {
                      failures.add(
                          session.id()
                              + " release "
                              + round
                              + " took "
                              + took
                              + ": "
                              + released.status()
                              + " "
                              + released.body());
                    }
                  }
                } finally {
                  connection.close();
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> contender : done) {
      contender.get(240, SECONDS);
    }

    assertEquals(List.of(), failures, "every request answered promptly as the contract says");
    assertEquals(contenders * rounds, granted.get());
    assertEquals("free", api.lock(lock).getString("state"));
  }

  private CompletableFuture<HttpResponse<String>> acquireAsync(
      TestSession session, String lock, String mode, String wait) {
    return CompletableFuture.supplyAsync(() -> session.acquire(lock, mode, wait), clients);
  }

  private TestSession open(String ttl) {
    return sessions.open(ttl);
  }

  private static List<String> ids(List<TestSession> sessions) {
    return sessions.stream().map(TestSession::id).toList();
  }

  private static String uniqueLock() {
    return "it/contention/" + UUID.randomUUID();
  }
}
