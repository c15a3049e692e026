package dev.lockstep.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockView;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.support.LockServerExtension;
import dev.lockstep.client.support.RequestLog;
import dev.lockstep.client.support.TestClients;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nested acquires of one name on one thread: hold counts, as Curator's InterProcessMutex. Only the
 * last close releases, no handle says HELD for a lock the server freed.
 */
@ExtendWith(LockServerExtension.class)
class NestedHandleTest {
  private TestClients clients;
  private String name;
  private RequestLog log;
  private LockClient locks;
  private LockClient observer;

  @BeforeEach
  void setUp(LockServer server) {
    clients = new TestClients(server);
    name = TestClients.uniquePrefix("nested") + "job";
    log = new RequestLog();
    locks = clients.openLogged(log, c -> c.withCache(false));
    observer = clients.openUncached();
  }

  @AfterEach
  void tearDown() {
    clients.close();
  }

  @Test
  void nestedAcquire_sameGrantNoCall_andOnlyTheLastCloseReleases() {
    LockHandle outer = locks.acquire(name);
    int mark = log.mark();

    LockHandle inner = locks.acquire(name);

    assertEquals(outer.fencingToken(), inner.fencingToken());
    assertEquals(2, outer.holdCount());
    assertTrue(log.since(mark).isEmpty(), "a nested acquire makes no HTTP call");

    inner.close();
    assertEquals(HandleState.RELEASED, inner.state());
    assertEquals(HandleState.HELD, outer.state());
    assertEquals(LockView.HELD, observer.status(name).state(), "still held on the server");
    assertEquals(1, outer.holdCount());

    outer.close();
    assertEquals(HandleState.RELEASED, outer.state());
    assertEquals(LockView.FREE, observer.status(name).state());
  }

  @Test
  void outerClosedFirst_theInnerStillHolds_untilItCloses() {
    LockHandle outer = locks.acquire(name);
    LockHandle inner = locks.acquire(name);

    outer.close();

    assertEquals(HandleState.HELD, inner.state());
    assertEquals(LockView.HELD, observer.status(name).state());
    inner.close();
    assertEquals(LockView.FREE, observer.status(name).state());
  }

  @Test
  void otherThread_waitsUntilTheLastNestedHandleCloses() throws Exception {
    LockHandle outer = locks.acquire(name);
    LockHandle inner = locks.acquire(name);
    CompletableFuture<Optional<LockHandle>> other =
        CompletableFuture.supplyAsync(() -> locks.tryAcquire(name, Duration.ofSeconds(10)));

    inner.close();
    // The outer handle still holds the turn: the other thread stays out for as long as it is open.
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !other.isDone() && LockView.HELD.equals(observer.status(name).state()));
    outer.close();

    LockHandle next = other.get(10, TimeUnit.SECONDS).orElseThrow();
    assertTrue(next.fencingToken() > outer.fencingToken(), "a new grant");
    next.close();
  }

  @Test
  void nestedExclusive_underShared_isRefused() {
    LockHandle shared = locks.acquire(name, LockMode.SHARED);

    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> locks.acquire(name, LockMode.EXCLUSIVE));

    assertTrue(refused.getMessage().contains("shared"), refused.getMessage());
    assertEquals(1, shared.holdCount());
    shared.close();
    assertEquals(LockView.FREE, observer.status(name).state());
  }

  @Test
  void asLock_nestedLockCalls_count() {
    Lock lock = locks.asLock(name);
    lock.lock();
    assertTrue(lock.tryLock(), "the holding thread nests");

    lock.unlock();
    assertEquals(LockView.HELD, observer.status(name).state());
    lock.unlock();
    assertEquals(LockView.FREE, observer.status(name).state());
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
  }

  @Test
  void attempt_whenHeldByAnother_tellsWhoHoldsIt() {
    LockHandle theirs = observer.acquire(name);

    AcquireResult result = locks.attempt(name, LockMode.EXCLUSIVE, Duration.ZERO);

    assertFalse(result.isGranted());
    LockView lock = result.lock().orElseThrow();
    assertEquals(theirs.sessionId(), lock.holders().get(0).session());
    theirs.close();
  }
}
