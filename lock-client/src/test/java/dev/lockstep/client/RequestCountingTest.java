package dev.lockstep.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockView;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.support.LockServerExtension;
import dev.lockstep.client.support.RequestLog;
import dev.lockstep.client.support.RequestLog.KeepAlives;
import dev.lockstep.client.support.TestClients;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the client decides locally, proved by counting its HTTP requests: refusals without a caller
 * or a session, and status answered from a cache that events (not polling) keep current.
 */
@ExtendWith(LockServerExtension.class)
class RequestCountingTest {
  private TestClients clients;
  private String prefix;

  @BeforeEach
  void setUp(LockServer server) {
    clients = new TestClients(server);
    prefix = TestClients.uniquePrefix("counting");
  }

  @AfterEach
  void tearDown() {
    clients.close();
  }

  @Test
  void acquire_withoutCallerIdentity_makesNoRequest() {
    RequestLog log = new RequestLog();
    LockClient nobody = clients.openLogged(log, c -> c.withCache(false).withOwner(() -> null));
    LockClient blank = clients.openLogged(log, c -> c.withCache(false).withOwner(() -> "  "));

    assertThrows(NoCallerIdentityException.class, () -> nobody.acquire(prefix + "a"));
    assertThrows(
        NoCallerIdentityException.class,
        () -> blank.tryAcquire(prefix + "a", Duration.ofSeconds(1)));

    assertEquals(List.of(), log.all(), "no session opened, no lock asked for");
    assertEquals(SessionState.NONE, nobody.sessionState());
  }

  @Test
  void acquire_whenSessionLost_throwsSessionUnavailableAndMakesNoRequest() {
    RequestLog log = new RequestLog();
    LockClient client =
        clients.openLogged(log, c -> c.withCache(false).withSessionTtl(Duration.ofSeconds(2)));
    client.acquire(prefix + "held").release();
    log.keepAlives(KeepAlives.FAIL);
    await().atMost(Duration.ofSeconds(8)).until(() -> client.sessionState() == SessionState.LOST);

    int mark = log.mark();
    SessionUnavailableException refused =
        assertThrows(SessionUnavailableException.class, () -> client.acquire(prefix + "next"));

    assertEquals(SessionState.LOST, refused.state());
    assertEquals(List.of(), log.since(mark));
  }

  @Test
  void status_fromWarmCache_makesNoRequestAndOpensNoSession() {
    LockClient other = clients.openUncached();
    LockHandle held = other.acquire(prefix + "held");
    RequestLog log = new RequestLog();
    LockClient cached = clients.openLogged(log, c -> c.withStreamPrefix(prefix));
    await().atMost(Duration.ofSeconds(5)).until(cached::isCacheCurrent);

    int mark = log.mark();
    LockView heldView = cached.status(prefix + "held");
    LockView freeView = cached.status(prefix + "free");
    boolean isHeld = cached.isHeld(prefix + "held");

    assertEquals(List.of(), log.since(mark));
    assertEquals(LockView.HELD, heldView.state());
    assertEquals(other.sessionId().orElseThrow(), heldView.holders().get(0).session());
    assertEquals(held.fencingToken(), heldView.holders().get(0).fencingToken());
    assertEquals(LockView.FREE, freeView.state());
    assertTrue(isHeld);
    assertEquals(Optional.empty(), cached.sessionId());
    assertEquals(SessionState.NONE, cached.sessionState());
  }

  @Test
  void status_fromWarmCache_followsRemoteAcquireByEventNotByPolling() {
    RequestLog log = new RequestLog();
    LockClient watcher = clients.openLogged(log, c -> c.withStreamPrefix(prefix));
    await().atMost(Duration.ofSeconds(5)).until(watcher::isCacheCurrent);
    assertEquals(LockView.FREE, watcher.status(prefix + "job").state());
    int mark = log.mark();

    LockClient remote = clients.openUncached();
    LockHandle handle = remote.acquire(prefix + "job");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> LockView.HELD.equals(watcher.status(prefix + "job").state()));
    LockView seen = watcher.status(prefix + "job");
    assertEquals(remote.sessionId().orElseThrow(), seen.holders().get(0).session());
    assertEquals(handle.fencingToken(), seen.holders().get(0).fencingToken());
    assertEquals(List.of(), log.since(mark), "the watcher's cache must not poll the server");

    handle.release();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> LockView.FREE.equals(watcher.status(prefix + "job").state()));
    assertEquals(List.of(), log.since(mark));
  }
}
