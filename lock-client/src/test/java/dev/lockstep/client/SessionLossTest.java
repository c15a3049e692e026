package dev.lockstep.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Chubby's session states on the client: keep-alives that fail put the session in jeopardy, then
 * lose it once its TTL has certainly passed; its handles follow; a session the server expired
 * behind the client's back is found out at release.
 */
@ExtendWith(LockServerExtension.class)
class SessionLossTest {
  /**
   * Short, so that losing a session takes little time; not the server's 1 s minimum, so that a
   * loaded machine answering a keep-alive slowly does not lose a session before the test means it
   * to (four keep-alive chances per TTL).
   */
  private static final Duration TTL = Duration.ofSeconds(2);

  /** How long a session loss may take to be declared: the TTL, and room for a loaded machine. */
  private static final Duration LOSS = TTL.multipliedBy(4);

  private TestClients clients;
  private String prefix;

  /** One session state change, and what the handles said at that moment. */
  private record Change(SessionState from, SessionState to, List<HandleState> handles) {}

  @BeforeEach
  void setUp(LockServer server) {
    clients = new TestClients(server);
    prefix = TestClients.uniquePrefix("session-loss");
  }

  @AfterEach
  void tearDown() {
    clients.close();
  }

  @Test
  void keepAlivesFailing_movesLiveToJeopardyToLost_andHandlesToUncertainThenLost() {
    RequestLog log = new RequestLog();
    LockClient client = clients.openLogged(log, c -> c.withCache(false).withSessionTtl(TTL));
    LockHandle first = client.acquire(prefix + "a");
    LockHandle second = client.acquire(prefix + "b");
    List<Change> changes = new CopyOnWriteArrayList<>();
    // The handles' states are read inside the callback: jeopardy lasts well under a TTL, too
    // short to be sure a poll from the test thread would see it.
    client.onSessionStateChange(
        (id, from, to) ->
            changes.add(new Change(from, to, List.of(first.state(), second.state()))));
    assertEquals(
        List.of(HandleState.HELD, HandleState.HELD), List.of(first.state(), second.state()));

    log.keepAlives(KeepAlives.FAIL);

    await().atMost(LOSS).until(() -> client.sessionState() == SessionState.LOST);
    List<HandleState> uncertain = List.of(HandleState.UNCERTAIN, HandleState.UNCERTAIN);
    List<HandleState> lost = List.of(HandleState.LOST, HandleState.LOST);
    assertEquals(
        List.of(
            new Change(SessionState.LIVE, SessionState.JEOPARDY, uncertain),
            new Change(SessionState.JEOPARDY, SessionState.LOST, lost)),
        changes);
    assertEquals(lost, List.of(first.state(), second.state()));
    assertTrue(!first.isHeld() && !second.isHeld());
  }

  @Test
  void release_onceSessionLost_throwsLockLostWithoutRequest() {
    RequestLog log = new RequestLog();
    LockClient client = clients.openLogged(log, c -> c.withCache(false).withSessionTtl(TTL));
    LockHandle handle = client.acquire(prefix + "a");
    log.keepAlives(KeepAlives.FAIL);
    await().atMost(LOSS).until(() -> client.sessionState() == SessionState.LOST);

    int mark = log.mark();
    assertThrows(LockLostException.class, handle::release);
    assertThrows(IllegalStateException.class, handle::release, "a handle releases once");
    handle.close(); // safe, and quiet, after a failed release

    assertEquals(List.of(), log.since(mark));
  }

  @Test
  void lostSession_isExpiredByTheServer_andItsLocksFreed() {
    RequestLog log = new RequestLog();
    LockClient client = clients.openLogged(log, c -> c.withCache(false).withSessionTtl(TTL));
    client.acquire(prefix + "a");
    LockClient observer = clients.openUncached();
    log.keepAlives(KeepAlives.FAIL);

    await().atMost(LOSS).until(() -> client.sessionState() == SessionState.LOST);

    // The client counts the TTL from when its last good keep-alive was sent, the server from
    // when it arrived: the client gives the lock up first (the safe side), and the server
    // frees it a moment later (plus its expiry sweep, every 50 ms).
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> LockView.FREE.equals(observer.status(prefix + "a").state()));
  }

  @Test
  void release_afterServerExpiredSessionUnnoticed_throwsLockLostAndLosesSession() {
    RequestLog log = new RequestLog();
    LockClient client = clients.openLogged(log, c -> c.withCache(false).withSessionTtl(TTL));
    LockHandle handle = client.acquire(prefix + "a");
    LockClient observer = clients.openUncached();
    // The client believes its keep-alives; the server never gets one and expires the session.
    log.keepAlives(KeepAlives.FAKE_SUCCESS);
    await().atMost(LOSS).until(() -> LockView.FREE.equals(observer.status(prefix + "a").state()));
    assertEquals(SessionState.LIVE, client.sessionState());
    assertEquals(HandleState.HELD, handle.state(), "the client cannot know yet");

    int mark = log.mark();
    assertThrows(LockLostException.class, handle::release);

    // The keep-alive thread goes on beside the release; its (faked) calls are not the release's.
    List<String> calls =
        log.since(mark).stream()
            .map(RequestLog.Request::toString)
            .filter(call -> !call.endsWith("/keepalive"))
            .toList();
    assertEquals(
        List.of("DELETE /api/v1/locks/" + prefix + "a"),
        calls,
        "one DELETE, answered 401: " + log.since(mark));
    assertEquals(SessionState.LOST, client.sessionState());
    assertEquals(HandleState.LOST, handle.state());
  }

  @Test
  void newSession_afterLoss_allowsAcquiringAgain() {
    RequestLog log = new RequestLog();
    LockClient client = clients.openLogged(log, c -> c.withCache(false).withSessionTtl(TTL));
    LockHandle old = client.acquire(prefix + "a");
    String lostId = client.sessionId().orElseThrow();
    log.keepAlives(KeepAlives.FAIL);
    await().atMost(LOSS).until(() -> client.sessionState() == SessionState.LOST);
    log.keepAlives(KeepAlives.PASS);

    client.newSession();
    LockHandle again = client.acquire(prefix + "a");

    assertEquals(SessionState.LIVE, client.sessionState());
    assertNotEquals(lostId, again.sessionId());
    assertTrue(again.fencingToken() > old.fencingToken());
    assertEquals(HandleState.HELD, again.state());
    assertEquals(HandleState.LOST, old.state(), "handles of the old session stay lost");
    again.release();
    assertEquals(HandleState.RELEASED, again.state());
  }

  @Test
  void sessionListener_isToldOfOpeningAndClosing() {
    LockClient client = clients.open(c -> c.withCache(false));
    List<String> changes = new CopyOnWriteArrayList<>();
    client.onSessionStateChange((id, from, to) -> changes.add(id + " " + from + "->" + to));

    client.acquire(prefix + "a");
    String id = client.sessionId().orElseThrow();
    client.close();

    assertEquals(List.of(id + " NONE->LIVE", id + " LIVE->CLOSED"), changes);
    assertThrows(SessionUnavailableException.class, () -> client.acquire(prefix + "b"));
  }

  @Test
  void acquire_whenTtlRanOutBeforeKeepAliveNoticed_refusesAndTellsListenersFirst() {
    RequestLog log = new RequestLog();
    LockClient client = clients.openLogged(log, c -> c.withCache(false).withSessionTtl(TTL));
    client.acquire(prefix + "a");
    List<String> changes = new CopyOnWriteArrayList<>();
    client.onSessionStateChange((id, from, to) -> changes.add(from + "->" + to));
    // A hung keep-alive: the keep-alive thread learns nothing, so only the clock can tell.
    log.keepAlives(KeepAlives.HANG);
    long hungAt = System.nanoTime();
    await()
        .atMost(LOSS)
        .until(
            () ->
                log.hangingKeepAlives() > 0
                    && Duration.ofNanos(System.nanoTime() - hungAt).compareTo(TTL.plusMillis(200))
                        > 0);
    assertEquals(List.of(), changes, "nothing noticed yet");

    SessionUnavailableException refused =
        assertThrows(SessionUnavailableException.class, () -> client.acquire(prefix + "b"));

    assertEquals(SessionState.LOST, refused.state());
    assertEquals(List.of("LIVE->LOST"), changes);
  }
}
