package dev.lockstep.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lockstep.api.LockView;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which server of a group a client sends to, and how the calls follow a not-leader answer. */
class EndpointsTest {
  private static final URI A = URI.create("http://a:8080");
  private static final URI B = URI.create("http://b:8080");
  private static final URI C = URI.create("http://c:8080");

  private final List<HttpServer> servers = new ArrayList<>();
  private final Client http = ClientBuilder.newClient();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
    http.close();
  }

  @Test
  void unreachable_movesOnInOrder_andWrapsAround() {
    Endpoints endpoints = new Endpoints(List.of(A, B));
    endpoints.unreachable(A);
    assertEquals(B, endpoints.current());
    endpoints.unreachable(B);
    assertEquals(A, endpoints.current());
  }

  @Test
  void unreachable_ofAServerNoLongerCurrent_changesNothing() {
    Endpoints endpoints = new Endpoints(List.of(A, B, C));
    endpoints.unreachable(A);
    endpoints.unreachable(A); // a second caller that also tried A: B is not skipped
    assertEquals(B, endpoints.current());
  }

  @Test
  void notLeader_jumpsToTheNamedLeader_addingItWhenUnknown() {
    Endpoints endpoints = new Endpoints(List.of(A, URI.create("http://b:8080/")));
    endpoints.notLeader(A, Optional.of("http://b:8080"));
    assertEquals(B, endpoints.current(), "a trailing slash names the same server");
    endpoints.notLeader(B, Optional.of("http://c:8080/"));
    assertEquals(C, endpoints.current());
    assertEquals(3, endpoints.size());
  }

  @Test
  void notLeader_withoutOrWithAUselessHint_triesTheNext() {
    Endpoints endpoints = new Endpoints(List.of(A, B));
    endpoints.notLeader(A, Optional.empty());
    assertEquals(B, endpoints.current());
    endpoints.notLeader(B, Optional.of("not a url"));
    assertEquals(A, endpoints.current());
  }

  @Test
  void config_readsACommaSeparatedList() {
    assertEquals(List.of(A, B), LockClientConfig.parseUrls(" http://a:8080 , http://b:8080,"));
    assertEquals(List.of(A, B), LockClientConfig.connect(List.of(A, B)).urls());
    assertThrows(IllegalArgumentException.class, () -> LockClientConfig.parseUrls(" , "));
    assertThrows(IllegalArgumentException.class, () -> LockClientConfig.parseUrls("a:8080"));
  }

  @Test
  void call_toAStandby_isSentAgainToTheLeaderItNames() throws IOException {
    AtomicInteger activeCalls = new AtomicInteger();
    URI active =
        serve(
            exchange -> {
              activeCalls.incrementAndGet();
              answer(
                  exchange,
                  200,
                  "application/json",
                  "{\"name\":\"jobs\",\"state\":\"free\",\"holders\":[],\"waiters\":[],\"revision\":7}");
            });
    URI standby =
        serve(
            exchange ->
                answer(
                    exchange,
                    503,
                    "application/problem+json",
                    "{\"type\":\"https://lockstep.dev/problems/not-leader\",\"title\":\"t\","
                        + "\"status\":503,\"detail\":\"standby\",\"leader\":\""
                        + active
                        + "\"}"));
    Endpoints endpoints = new Endpoints(List.of(standby));

    LockView view = new LockHttp(http, endpoints).view("jobs");

    assertEquals(7, view.revision());
    assertEquals(1, activeCalls.get());
    assertEquals(active, endpoints.current());
  }

  @Test
  void call_toADeadServer_goesToTheNextOne() throws IOException {
    URI dead;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = URI.create("http://127.0.0.1:" + free.getLocalPort());
    }
    URI alive =
        serve(
            exchange ->
                answer(
                    exchange,
                    200,
                    "application/json",
                    "{\"name\":\"jobs\",\"state\":\"free\",\"holders\":[],\"waiters\":[],\"revision\":3}"));

    LockView view = new LockHttp(http, new Endpoints(List.of(dead, alive))).view("jobs");

    assertEquals(3, view.revision());
  }

  @Test
  void call_whenEveryServerIsAStandby_failsWithTheStatus() throws IOException {
    URI standby =
        serve(
            exchange ->
                answer(
                    exchange,
                    503,
                    "application/problem+json",
                    "{\"type\":\"https://lockstep.dev/problems/not-leader\",\"title\":\"t\","
                        + "\"status\":503,\"detail\":\"no active server\"}"));

    ServerException failed =
        assertThrows(
            ServerException.class,
            () -> new LockHttp(http, new Endpoints(List.of(standby))).view("jobs"));
    assertEquals(503, failed.status());
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private URI serve(Handler handler) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/", handler::handle);
    server.start();
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static void answer(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
