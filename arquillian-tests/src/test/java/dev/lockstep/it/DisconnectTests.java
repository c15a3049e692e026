package dev.lockstep.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.ClientThreads;
import dev.lockstep.it.support.OpenedSessions;
import dev.lockstep.it.support.RawHttpConnection;
import dev.lockstep.it.support.RawHttpConnection.Answer;
import dev.lockstep.it.support.TestSession;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A waiting client's connection is its place in line: closing it leaves the queue at once, and a
 * connection whose wait ended normally serves further requests.
 */
abstract class DisconnectTests {
  private static final String WAIT_30S = "{\"wait\":\"PT30S\"}";

  private final Api api = Api.ofServerUnderTest();
  @RegisterExtension final OpenedSessions sessions = new OpenedSessions(api);
  @RegisterExtension final ClientThreads clients = new ClientThreads();

  @Test
  void disconnect_whileWaiting_leavesQueueAndIsNeverGranted() {
    String lock = uniqueLock();
    TestSession holder = open();
    TestSession gone = open();
    assertEquals(200, holder.acquire(lock, "exclusive", "PT0S").statusCode());

    // A raw socket: closing it is the client going away mid-wait, which HttpClient cannot do.
    RawHttpConnection connection = RawHttpConnection.open(api, Duration.ofSeconds(40));
    try {
      connection.send("PUT", "/api/v1/locks/" + lock, gone.token(), WAIT_30S);
      awaitWaiters(lock, List.of(gone.id()));
    } finally {
      connection.close();
    }
    long closed = System.nanoTime();
    await()
        .atMost(1, SECONDS)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> api.waiters(lock).isEmpty());
    Duration seen = Duration.ofNanos(System.nanoTime() - closed);

    assertEquals(204, holder.release(lock).statusCode());
    // A release grants queue heads at once: had the closed request stayed in line, it would hold
    // the lock by now.
    JsonObject after = api.lock(lock);
    assertEquals("free", after.getString("state"), "left the queue after " + seen + ": " + after);
    assertEquals(List.of(), api.holders(lock));
    assertEquals(List.of(), gone.locks(), "the disconnected session holds nothing");
  }

  @Test
  void disconnect_ofMiddleWaiter_keepsTheRestOfTheQueueInOrder() throws Exception {
    String lock = uniqueLock();
    TestSession holder = open();
    TestSession first = open();
    TestSession gone = open();
    TestSession last = open();
    assertEquals(200, holder.acquire(lock, "exclusive", "PT0S").statusCode());
    CompletableFuture<HttpResponse<String>> firstGrant = acquireAsync(first, lock);
    awaitWaiters(lock, List.of(first.id()));
    // A raw socket: closing it is the client going away mid-wait, which HttpClient cannot do.
    RawHttpConnection connection = RawHttpConnection.open(api, Duration.ofSeconds(40));
    CompletableFuture<HttpResponse<String>> lastGrant;
    try {
      connection.send("PUT", "/api/v1/locks/" + lock, gone.token(), WAIT_30S);
      awaitWaiters(lock, List.of(first.id(), gone.id()));
      lastGrant = acquireAsync(last, lock);
      awaitWaiters(lock, List.of(first.id(), gone.id(), last.id()));
    } finally {
      connection.close();
    }
    await()
        .atMost(1, SECONDS)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> api.waiters(lock).equals(List.of(first.id(), last.id())));

    assertEquals(204, holder.release(lock).statusCode());
    assertEquals(200, firstGrant.get(10, SECONDS).statusCode());
    assertEquals(List.of(first.id()), api.holders(lock));
    assertEquals(204, first.release(lock).statusCode());
    HttpResponse<String> lastAnswer = lastGrant.get(10, SECONDS);
    assertEquals(200, lastAnswer.statusCode(), lastAnswer.body());
    assertEquals(List.of(last.id()), api.holders(lock));
    assertEquals(List.of(), gone.locks());
  }

  /**
   * A wait whose connection was watched for a disconnect is answered with {@code Connection:
   * close}: watching changes how the container reads that connection, and a next request on it
   * could lose its body (see ContentionTests). The server's close after the answer takes nothing
   * from the session, and the client's next wait, on a new connection, works as the first.
   */
  @Test
  void grantedWait_closesItsConnectionAfterTheAnswer_andTheSessionKeepsTheLock() {
    String lock = uniqueLock();
    TestSession holder = open();
    TestSession waiter = open();
    assertEquals(200, holder.acquire(lock, "exclusive", "PT0S").statusCode());

    long firstToken;
    // A raw socket: the test reads the server's Connection: close, which HttpClient's pool hides.
    try (RawHttpConnection connection = RawHttpConnection.open(api, Duration.ofSeconds(40))) {
      connection.send("PUT", "/api/v1/locks/" + lock, waiter.token(), WAIT_30S);
      awaitWaiters(lock, List.of(waiter.id()));
      assertEquals(204, holder.release(lock).statusCode());
      Answer granted = connection.read();
      assertEquals(200, granted.status(), granted.body());
      assertEquals("close", granted.headers().get("connection"), granted.headers().toString());
      firstToken = json(granted).getJsonNumber("fencingToken").longValue();
      assertThrows(
          UncheckedIOException.class,
          () -> connection.exchange("GET", "/api/v1/locks/" + lock, null, null),
          "the server closes the connection after the answer");
    }
    // The server's close took nothing from the session.
    await()
        .during(Duration.ofMillis(300))
        .atMost(2, SECONDS)
        .until(() -> api.holders(lock).equals(List.of(waiter.id())));
    assertEquals(204, waiter.release(lock).statusCode());

    assertEquals(200, holder.acquire(lock, "exclusive", "PT0S").statusCode());
    // A raw socket: one connection reused after a wait, which HttpClient's pool hides.
    try (RawHttpConnection connection = RawHttpConnection.open(api, Duration.ofSeconds(40))) {
      connection.send("PUT", "/api/v1/locks/" + lock, waiter.token(), WAIT_30S);
      awaitWaiters(lock, List.of(waiter.id()));
      assertEquals(204, holder.release(lock).statusCode());
      Answer grantedAgain = connection.read();
      assertEquals(200, grantedAgain.status(), grantedAgain.body());
      assertTrue(json(grantedAgain).getJsonNumber("fencingToken").longValue() > firstToken);
    }
    await()
        .during(Duration.ofMillis(300))
        .atMost(2, SECONDS)
        .until(() -> api.holders(lock).equals(List.of(waiter.id())));
    assertEquals(List.of(lock), waiter.locks());
  }

  private void awaitWaiters(String lock, List<String> expected) {
    await()
        .atMost(5, SECONDS)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> api.waiters(lock).equals(expected));
  }

  private CompletableFuture<HttpResponse<String>> acquireAsync(TestSession session, String lock) {
    return CompletableFuture.supplyAsync(() -> session.acquire(lock, WAIT_30S), clients);
  }

  private TestSession open() {
    return sessions.open("PT60S");
  }

  private static JsonObject json(Answer answer) {
    try (var reader = Json.createReader(new StringReader(answer.body()))) {
      return reader.readObject();
    }
  }

  private static String uniqueLock() {
    return "it/disconnect/" + UUID.randomUUID();
  }
}
