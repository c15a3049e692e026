package dev.lockstep.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockView;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.support.LockServerExtension;
import dev.lockstep.client.support.RequestLog;
import dev.lockstep.client.support.RequestLog.KeepAlives;
import dev.lockstep.client.support.TestClients;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the client says when something is wrong: each message names what happened. */
@ExtendWith(LockServerExtension.class)
class MessagesTest {
  private static final Duration TTL = Duration.ofSeconds(2);
  private TestClients clients;
  private String prefix;

  @BeforeEach
  void setUp(LockServer server) {
    clients = new TestClients(server);
    prefix = TestClients.uniquePrefix("messages");
  }

  @AfterEach
  void tearDown() {
    clients.close();
  }

  @Test
  void wrongBaseUrl_namesTheUrl() {
    URI wrong = clients.url().resolve("/not-the-lock-server/");
    LockClient client = LockClient.create(LockClientConfig.connect(wrong).withCache(false));
    try {
      ServerException e = assertThrows(ServerException.class, () -> client.status(prefix + "a"));
      assertTrue(e.getMessage().contains(wrong.toString()), e.getMessage());
    } finally {
      client.close();
    }
  }

  @Test
  void watch_ofAnInvalidPrefix_isRefused() {
    LockClient client = clients.openUncached();

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> client.watch("bad name!/", new LockListener() {}));

    assertTrue(e.getMessage().contains("bad name!/"), e.getMessage());
  }

  @Test
  void tryAcquire_withoutTimeout_saysWhatToGive() {
    LockClient client = clients.openUncached();

    NullPointerException e =
        assertThrows(NullPointerException.class, () -> client.tryAcquire(prefix + "a", null));

    assertTrue(e.getMessage().contains("timeout"), e.getMessage());
  }

  @Test
  void sessionGoneOnTheServer_isToldApartFromTtlPassed() {
    RequestLog log = new RequestLog();
    LockClient client = clients.openLogged(log, c -> c.withCache(false).withSessionTtl(TTL));
    LockClient observer = clients.openUncached();
    client.acquire(prefix + "a");
    // The server never sees a keep-alive and expires the session; then one gets through: 404.
    log.keepAlives(KeepAlives.FAKE_SUCCESS);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> LockView.FREE.equals(observer.status(prefix + "a").state()));
    log.keepAlives(KeepAlives.PASS);
    await().atMost(Duration.ofSeconds(5)).until(() -> client.sessionState() == SessionState.LOST);

    SessionUnavailableException e =
        assertThrows(SessionUnavailableException.class, () -> client.acquire(prefix + "b"));

    assertTrue(e.getMessage().contains("server no longer has it"), e.getMessage());
  }

  @Test
  void ttlPassedWithoutKeepAlives_saysSo() {
    RequestLog log = new RequestLog();
    LockClient client = clients.openLogged(log, c -> c.withCache(false).withSessionTtl(TTL));
    client.acquire(prefix + "a");
    log.keepAlives(KeepAlives.FAIL);
    await().atMost(Duration.ofSeconds(10)).until(() -> client.sessionState() == SessionState.LOST);

    SessionUnavailableException e =
        assertThrows(SessionUnavailableException.class, () -> client.acquire(prefix + "b"));

    assertTrue(e.getMessage().contains("TTL"), e.getMessage());
  }

  @Test
  void failedCall_putsTheSessionInJeopardyAtOnce_andLiveAgainWithinASecond() {
    RequestLog log = new RequestLog();
    LockClient client =
        clients.openLogged(log, c -> c.withCache(false).withSessionTtl(Duration.ofSeconds(60)));
    LockHandle handle = client.acquire(prefix + "a");
    log.failNext("DELETE", "/locks/" + prefix + "a");

    assertThrows(ServerException.class, handle::release);

    // With a 60 s TTL the next keep-alive would be 15 s away; the failure is enough.
    long start = System.nanoTime();
    assertTrue(client.sessionState() == SessionState.JEOPARDY, "jeopardy at once");
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> client.sessionState() == SessionState.LIVE);
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos());
    handle.close();
  }
}
