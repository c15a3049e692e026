package dev.lockstep.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockView;
import dev.lockstep.api.SessionCreated;
import dev.lockstep.api.WaiterView;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.support.LockServerExtension;
import dev.lockstep.client.support.TestClients;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A wait without deadline, in segments of 2 s re-sent 1 s before their end (30 s and 2 s in the
 * client), keeps its place in line across the re-sends: a session that queued after it stays after
 * it, and it is granted first.
 */
@ExtendWith(LockServerExtension.class)
class WaitInLineTest {
  private TestClients clients;
  private Client http;
  private LockHttp calls;
  private Sessions.Live session;
  private String name;

  @BeforeEach
  void setUp(LockServer server) {
    clients = new TestClients(server);
    name = TestClients.uniquePrefix("line") + "job";
    http = ClientBuilder.newClient();
    calls = new LockHttp(http, server.url(), LockHttp.CALL_TIMEOUT, LockHttp.CALL_TIMEOUT);
    SessionCreated created = calls.openSession(Duration.ofSeconds(60), Optional.empty());
    session = new Sessions.Live(created.id(), created.token());
  }

  @AfterEach
  void tearDown() {
    calls.closeSession(session.id(), session.token());
    http.close();
    clients.close();
  }

  private List<String> waitingSessions(LockClient observer) {
    return observer.status(name).waiters().stream().map(WaiterView::session).toList();
  }

  @Test
  void waitWithoutDeadline_keepsItsPlaceAcrossReSends_andIsGrantedFirst() throws Exception {
    LockClient holder = clients.openUncached();
    LockClient later = clients.openUncached();
    LockClient observer = clients.openUncached();
    LockHandle held = holder.acquire(name);
    WaitInLine line =
        new WaitInLine(
            new SessionRequests(calls), id -> false, Duration.ofSeconds(2), Duration.ofSeconds(1));
    CompletableFuture<Optional<GrantView>> ours =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return line.await(
                    session, name, LockMode.EXCLUSIVE, "test", Optional.empty(), () -> {});
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> waitingSessions(observer).size() == 1);
    CompletableFuture<Optional<LockHandle>> theirs =
        CompletableFuture.supplyAsync(() -> later.tryAcquire(name, Duration.ofSeconds(30)));
    await().atMost(Duration.ofSeconds(10)).until(() -> waitingSessions(observer).size() == 2);
    String laterSession = later.sessionId().orElseThrow();

    // Three segments' worth: at least two re-sends, and the order never changes.
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(8))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> waitingSessions(observer).equals(List.of(session.id(), laterSession)));
    held.release();

    GrantView grant = ours.get(10, TimeUnit.SECONDS).orElseThrow();
    assertEquals(session.id(), grant.session());
    assertEquals(LockView.HELD, observer.status(name).state());
    assertTrue(!theirs.isDone(), "the later session still waits");
    calls.release(session.token(), name);
    assertTrue(theirs.get(10, TimeUnit.SECONDS).isPresent(), "then the later one is granted");
  }
}
