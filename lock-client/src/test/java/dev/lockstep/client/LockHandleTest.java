package dev.lockstep.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockView;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.support.LockServerExtension;
import dev.lockstep.client.support.RequestLog;
import dev.lockstep.client.support.TestClients;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Acquire and release through handles: who may release, how often, and what tokens say. */
@ExtendWith(LockServerExtension.class)
class LockHandleTest {
  private TestClients clients;
  private String prefix;
  private LockClient locks;

  /** Reads the server's view of a lock: no cache, so every status is a fresh HTTP read. */
  private LockClient observer;

  @BeforeEach
  void setUp(LockServer server) {
    clients = new TestClients(server);
    prefix = TestClients.uniquePrefix("handle");
    locks = clients.openUncached();
    observer = clients.openUncached();
  }

  @AfterEach
  void tearDown() {
    clients.close();
  }

  @Test
  void release_onAnotherThread_releasesTheSessionsLock() throws Exception {
    ExecutorService acquirer = Executors.newSingleThreadExecutor(r -> new Thread(r, "acquirer"));
    ExecutorService releaser = Executors.newSingleThreadExecutor(r -> new Thread(r, "releaser"));
    try {
      LockHandle handle =
          acquirer.submit(() -> locks.acquire(prefix + "job")).get(10, TimeUnit.SECONDS);
      assertTrue(handle.owner().endsWith(":acquirer"), handle.owner());
      assertEquals(LockView.HELD, observer.status(prefix + "job").state());

      releaser.submit(handle::release).get(10, TimeUnit.SECONDS);

      assertEquals(LockView.FREE, observer.status(prefix + "job").state());
      assertEquals(HandleState.RELEASED, handle.state());
    } finally {
      acquirer.shutdownNow();
      releaser.shutdownNow();
    }
  }

  @Test
  void tryWithResources_releasesAtTheEndOfTheBlock() {
    long token;
    try (LockHandle handle = locks.acquire(prefix + "job")) {
      token = handle.fencingToken();
      LockView during = observer.status(prefix + "job");
      assertEquals(LockView.HELD, during.state());
      assertEquals(token, during.holders().get(0).fencingToken());
    }

    assertEquals(LockView.FREE, observer.status(prefix + "job").state());
  }

  @Test
  void close_twice_isSafe() {
    LockHandle handle = locks.acquire(prefix + "job");

    handle.close();
    handle.close();

    assertEquals(HandleState.RELEASED, handle.state());
    assertEquals(LockView.FREE, observer.status(prefix + "job").state());
  }

  @Test
  void release_twice_throwsIllegalState() {
    LockHandle handle = locks.acquire(prefix + "job");
    handle.release();
    // Someone else takes the lock: a second release must not free it.
    LockHandle other = observer.acquire(prefix + "job");

    assertThrows(IllegalStateException.class, handle::release);

    LockView view = observer.status(prefix + "job");
    assertEquals(LockView.HELD, view.state());
    assertEquals(other.fencingToken(), view.holders().get(0).fencingToken());
  }

  @Test
  void acquire_whenAlreadyHeldBySession_returnsTheSameGrant() {
    LockHandle first = locks.acquire(prefix + "job");

    LockHandle again = locks.acquire(prefix + "job");

    assertEquals(first.fencingToken(), again.fencingToken());
    assertEquals(first.sessionId(), again.sessionId());
    assertEquals(1, observer.status(prefix + "job").holders().size());
  }

  @Test
  void tryAcquire_whenHeldByOther_returnsEmptyAfterTheTimeout() {
    observer.acquire(prefix + "job");
    Duration timeout = Duration.ofMillis(800);

    long start = System.nanoTime();
    Optional<LockHandle> handle = locks.tryAcquire(prefix + "job", timeout);
    Duration waited = Duration.ofNanos(System.nanoTime() - start);

    assertEquals(Optional.empty(), handle);
    assertTrue(waited.compareTo(timeout.minusMillis(50)) >= 0, "returned early: " + waited);
    assertTrue(waited.compareTo(timeout.plusSeconds(2)) < 0, "returned late: " + waited);
    assertTrue(observer.status(prefix + "job").waiters().isEmpty(), "left the queue");
  }

  @Test
  void tryAcquire_withZeroTimeout_whenHeldByOther_returnsEmptyAtOnce() {
    observer.acquire(prefix + "job");

    long start = System.nanoTime();
    Optional<LockHandle> handle = locks.tryAcquire(prefix + "job", Duration.ZERO);

    assertEquals(Optional.empty(), handle);
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0);
  }

  @Test
  void fencingTokens_growWithEveryGrant() {
    long first;
    try (LockHandle handle = locks.acquire(prefix + "job")) {
      first = handle.fencingToken();
    }
    long second;
    try (LockHandle handle = observer.acquire(prefix + "job")) {
      second = handle.fencingToken();
    }
    long third;
    try (LockHandle handle = locks.acquire(prefix + "other")) {
      third = handle.fencingToken();
    }

    assertTrue(first > 0, "a grant's token is positive: " + first);
    assertTrue(first < second && second < third, first + " < " + second + " < " + third);
  }

  @Test
  void acquire_withInvalidName_isRefusedLocally() {
    assertThrows(IllegalArgumentException.class, () -> locks.acquire(prefix + "a//b"));
    assertThrows(IllegalArgumentException.class, () -> locks.acquire("/" + prefix + "a"));
    assertEquals(SessionState.NONE, locks.sessionState(), "no session needed to refuse");
  }

  @Test
  void release_whenServerUnreachable_leavesTheHandleReleasable() {
    RequestLog log = new RequestLog();
    LockClient client = clients.openLogged(log, c -> c.withCache(false));
    LockHandle handle = client.acquire(prefix + "job");
    log.failNext("DELETE", "/locks/" + prefix + "job");

    assertThrows(ServerException.class, handle::release);
    // A failed call puts the session in jeopardy at once: the lock is not known to be released,
    // nor known to be held.
    assertEquals(HandleState.UNCERTAIN, handle.state(), "not known to be released");
    assertEquals(LockView.HELD, observer.status(prefix + "job").state());
    await().atMost(Duration.ofSeconds(5)).until(() -> handle.state() == HandleState.HELD);

    handle.close(); // tries again, and gets through

    assertEquals(HandleState.RELEASED, handle.state());
    assertEquals(LockView.FREE, observer.status(prefix + "job").state());
  }
}
