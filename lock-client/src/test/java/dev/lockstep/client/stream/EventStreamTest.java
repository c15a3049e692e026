package dev.lockstep.client.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lockstep.api.LockEvent;
import jakarta.ws.rs.client.ClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stream over {@code SseEventSource}, against a scripted SSE endpoint (no lock server): it
 * resumes from the given revision on the first request, with the last event's id after a dropped
 * connection and after a refused one, follows a {@code reset}, keeps the prefix, and is quiet once
 * closed.
 */
class EventStreamTest {
  private final HttpServer server;
  private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final CountDownLatch done = new CountDownLatch(1);
  private final List<Long> revisions = new CopyOnWriteArrayList<>();
  private final List<Long> resets = new CopyOnWriteArrayList<>();
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicInteger disconnected = new AtomicInteger();
  private EventStream stream;

  EventStreamTest() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/api/v1/events", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    if (stream != null) {
      stream.close();
    }
    done.countDown();
    server.stop(0);
  }

  /** First a stream that drops after two events, then a refusal, then a reset and one more. */
  private void answer(HttpExchange exchange) throws IOException {
    lastEventIds.add(String.valueOf(exchange.getRequestHeaders().getFirst("Last-Event-ID")));
    queries.add(exchange.getRequestURI().getQuery());
    switch (connections.incrementAndGet()) {
      case 1 -> {
        OutputStream body = open(exchange);
        send(body, "id: 6\nevent: acquired\ndata: " + data(6) + "\n\n");
        send(body, ": keep-alive\n\n");
        send(body, "id: 7\nevent: released\ndata: " + data(7) + "\n\n");
        exchange.close(); // the connection drops
      }
      case 2 -> {
        exchange.sendResponseHeaders(404, -1); // not deployed yet, say: the source gives up
        exchange.close();
      }
      default -> {
        OutputStream body = open(exchange);
        send(body, "id: 20\nevent: reset\ndata: {\"revision\":20}\n\n");
        send(body, "id: 21\nevent: acquired\ndata: " + data(21) + "\n\n");
        try {
          done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.close();
      }
    }
  }

  private static OutputStream open(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  private static void send(OutputStream body, String frame) throws IOException {
    body.write(frame.getBytes(UTF_8));
    body.flush();
  }

  private static String data(long revision) {
    return "{\"revision\":"
        + revision
        + ",\"lock\":\"jobs/a\",\"session\":\"s1\",\"mode\":\"exclusive\",\"fencingToken\":"
        + revision
        + ",\"at\":\"2026-01-01T00:00:00Z\"}";
  }

  @Test
  void resumesAfterDropAndRefusal_followsReset_andStopsWhenClosed() {
    URI events = URI.create("http://localhost:" + server.getAddress().getPort() + "/api/v1/events");
    stream =
        new EventStream(
            ClientBuilder.newBuilder().connectTimeout(5, TimeUnit.SECONDS), events, "jobs/", 5);
    stream.addListener(
        new StreamListener() {
          @Override
          public void connected() {
            connected.incrementAndGet();
          }

          @Override
          public void event(LockEvent event) {
            revisions.add(event.revision());
          }

          @Override
          public void reset(long revision) {
            resets.add(revision);
          }

          @Override
          public void disconnected() {
            disconnected.incrementAndGet();
          }
        });

    stream.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> revisions.size() == 3);
    assertEquals(List.of(6L, 7L, 21L), revisions, "each event once, in order");
    assertEquals(List.of(20L), resets);
    assertEquals(List.of("5", "7", "7"), lastEventIds, "first from the start, then the last id");
    assertEquals(List.of("prefix=jobs/", "prefix=jobs/", "prefix=jobs/"), queries);
    assertEquals(2, connected.get());
    assertEquals(1, disconnected.get());

    stream.close();
    done.countDown(); // the server ends the held stream: no reconnect may follow a close
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> connections.get() == 3);
    assertTrue(revisions.size() == 3 && disconnected.get() == 1, "quiet once closed");
  }
}
