package dev.lockstep.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watch's stream against a stand-in server that drops the connection after each answer: the
 * feed reconnects with the last revision it handed on, so nothing is missed or repeated.
 */
class EventFeedTest {
  private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
  private final List<WatchEvent> seen = new CopyOnWriteArrayList<>();
  private final StringWriter err = new StringWriter();
  private HttpServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/events", this::answer);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void run_afterADroppedStream_resumesAfterTheLastRevisionHandedOn() throws Exception {
    URI base = URI.create("http://localhost:" + server.getAddress().getPort());
    try (ServerReads reads = new ServerReads(base)) {
      EventFeed feed = new EventFeed(reads.events(), "w/", 5, new PrintWriter(err, true));
      Thread watching = new Thread(() -> feed.run(seen::add));
      watching.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 4);
      watching.interrupt();
      watching.join(20_000);
    }

    assertEquals(List.of(6L, 7L, 8L, 9L), seen.stream().map(WatchEvent::revision).toList());
    assertEquals(
        List.of("acquired", "released", "acquired", "reset"),
        seen.stream().map(WatchEvent::event).toList());
    assertEquals(List.of("5", "7", "8"), lastEventIds.subList(0, 3));
    assertTrue(err.toString().contains("resuming after revision 7"), err.toString());
  }

  /** Each connection gets what follows its Last-Event-ID, then the stream ends. */
  private void answer(HttpExchange exchange) throws IOException {
    String after = exchange.getRequestHeaders().getFirst("Last-Event-ID");
    lastEventIds.add(after);
    String body =
        switch (after) {
          case "5" -> event(6, "acquired") + ": keep-alive\n\n" + event(7, "released");
          case "7" -> event(8, "acquired");
          case "8" -> "event: reset\ndata: {\"revision\":9}\n\n";
          default -> ": keep-alive\n\n";
        };
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String event(long revision, String kind) {
    return "id: "
        + revision
        + "\nevent: "
        + kind
        + "\ndata: {\"revision\":"
        + revision
        + ",\"lock\":\"w/a\",\"session\":\"s1\",\"mode\":\"exclusive\",\"fencingToken\":"
        + revision
        + ",\"at\":\"2026-12-01T09:00:00Z\"}\n\n";
  }
}
