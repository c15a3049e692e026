package dev.lockstep.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lockstep.api.GrantView;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockView;
import dev.lockstep.client.support.MapConfig;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which server of an active/standby group a client sends to, and how calls (acquires too) follow a
 * not-leader answer or a refused connection.
 */
class ServerGroupTest {
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
    ServerGroup endpoints = new ServerGroup(List.of(A, B));
    endpoints.unreachable(A);
    assertEquals(B, endpoints.current());
    endpoints.unreachable(B);
    assertEquals(A, endpoints.current());
  }

  @Test
  void unreachable_ofAServerNoLongerCurrent_changesNothing() {
    ServerGroup endpoints = new ServerGroup(List.of(A, B, C));
    endpoints.unreachable(A);
    endpoints.unreachable(A); // a second caller that also tried A: B is not skipped
    assertEquals(B, endpoints.current());
  }

  @Test
  void notLeader_jumpsToTheNamedLeader_addingItWhenUnknown() {
    ServerGroup endpoints = new ServerGroup(List.of(A, URI.create("http://b:8080/")));
    endpoints.notLeader(A, Optional.of("http://b:8080"));
    assertEquals(
        URI.create("http://b:8080/"),
        endpoints.current(),
        "a trailing slash names the same server, kept as the list gave it");
    endpoints.notLeader(B, Optional.of("http://c:8080/"));
    assertEquals(URI.create("http://c:8080/"), endpoints.current());
    assertEquals(3, endpoints.size());
  }

  @Test
  void notLeader_withoutOrWithAUselessHint_triesTheNext() {
    ServerGroup endpoints = new ServerGroup(List.of(A, B));
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
    ServerGroup endpoints = new ServerGroup(List.of(standby));

    LockView view = calls(endpoints).view("jobs");

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

    LockView view = calls(new ServerGroup(List.of(dead, alive))).view("jobs");

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
            ServerException.class, () -> calls(new ServerGroup(List.of(standby))).view("jobs"));
    assertEquals(503, failed.status());
  }

  @Test
  void from_readsTheGroupFromLockstepClientUrl() {
    LockClientConfig config =
        LockClientConfig.from(
            new MapConfig(Map.of("lockstep.client.url", "http://a:8080, http://b:8080")));
    assertEquals(List.of(A, B), config.urls());
    assertEquals(List.of(A, B), config.withSessionTtl(Duration.ofSeconds(30)).urls());
  }

  @Test
  void notLeader_namingItself_triesTheNext() {
    ServerGroup endpoints = new ServerGroup(List.of(A, B));
    endpoints.notLeader(A, Optional.of("http://a:8080/"));
    assertEquals(B, endpoints.current());
  }

  @Test
  void batch_atAStandby_isSentAgainToTheLeaderItNames() throws Exception {
    AtomicInteger activeCalls = new AtomicInteger();
    URI active =
        serve(
            exchange -> {
              activeCalls.incrementAndGet();
              answer(
                  exchange,
                  200,
                  "application/json",
                  "{\"results\":[{\"status\":200,\"grant\":{\"name\":\"jobs\","
                      + "\"mode\":\"exclusive\",\"session\":\"s\",\"fencingToken\":42}}],"
                      + "\"revision\":42}");
            });
    URI dead;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = URI.create("http://127.0.0.1:" + free.getLocalPort());
    }
    URI standby = standbyNaming(active);
    ServerGroup group = new ServerGroup(List.of(dead, standby));

    GrantView grant =
        calls(group)
            .batch(
                "t",
                List.of(
                    Operation.acquire("t", "jobs", LockMode.EXCLUSIVE, Duration.ZERO, "me", "r1")),
                LockHttp.CALL_TIMEOUT)
            .get(10, TimeUnit.SECONDS)
            .get(0)
            .grant();

    assertEquals(42, grant.fencingToken());
    assertEquals(1, activeCalls.get());
    assertEquals(active, group.current());
  }

  private URI standbyNaming(URI active) throws IOException {
    return serve(
        exchange ->
            answer(
                exchange,
                503,
                "application/problem+json",
                "{\"type\":\"https://lockstep.dev/problems/not-leader\",\"title\":\"t\","
                    + "\"status\":503,\"detail\":\"standby\",\"leader\":\""
                    + active
                    + "\"}"));
  }

  private LockHttp calls(ServerGroup group) {
    return new LockHttp(http, group, LockHttp.CALL_TIMEOUT, LockHttp.CALL_TIMEOUT);
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
