package dev.lockstep.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockView;
import dev.lockstep.api.WaiterView;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.support.LockServerExtension;
import dev.lockstep.client.support.RequestLog;
import dev.lockstep.client.support.TestClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coalescing against the real server, counted by the client's request filter: 16 threads of one
 * client make fewer requests than operations and each gets its own answer; a lone caller's every
 * request carries its one operation, sent at once; waits share one grant channel and are granted in
 * the order of the line.
 */
@ExtendWith(LockServerExtension.class)
class CoalescingTest {
  private static final int THREADS = 16;
  private static final int CYCLES = 25;

  private TestClients clients;
  private String prefix;
  private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

  @BeforeEach
  void setUp(LockServer server) {
    clients = new TestClients(server);
    prefix = TestClients.uniquePrefix("coalesce");
  }

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
    clients.close();
  }

  @Test
  void sixteenThreads_fewerRequestsThanOperations_eachGetsItsOwnGrantOrRefusal() throws Exception {
    LockClient other = clients.openUncached();
    List<LockHandle> taken = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      taken.add(other.acquire(prefix + "taken-" + t)); // each thread is refused its own
    }
    RequestLog log = new RequestLog();
    LockClient shared = clients.openLogged(log, c -> c.withCache(false));
    shared.acquire(prefix + "warm").release(); // the session, opened before counting
    int mark = log.mark();
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch cycled = new CountDownLatch(THREADS);
    List<Future<List<Long>>> tokens = new ArrayList<>();
    List<String> wrong = new CopyOnWriteArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      String own = prefix + "own-" + t;
      String refusedName = prefix + "taken-" + t;
      tokens.add(
          threads.submit(
              () -> {
                start.await();
                List<Long> seen = new ArrayList<>();
                for (int i = 0; i < CYCLES; i++) {
                  try (LockHandle handle = shared.acquire(own)) {
                    if (!handle.name().equals(own) || handle.mode() != LockMode.EXCLUSIVE) {
                      wrong.add(own + " got " + handle.name());
                    }
                    seen.add(handle.fencingToken());
                  }
                }
                cycled.countDown();
                cycled.await(); // then all sixteen are refused together, each its own lock
                AcquireResult refused =
                    shared.attempt(refusedName, LockMode.EXCLUSIVE, Duration.ZERO);
                if (refused.isGranted()
                    || !refused.lock().map(l -> l.name()).orElse("").equals(refusedName)
                    || !refused
                        .lock()
                        .orElseThrow()
                        .holders()
                        .get(0)
                        .session()
                        .equals(other.sessionId().orElseThrow())) {
                  wrong.add(own + " was not refused with the holder: " + refused);
                }
                return seen;
              }));
    }
    start.countDown();

    Set<Long> allTokens = new HashSet<>();
    for (Future<List<Long>> thread : tokens) {
      List<Long> seen = thread.get(60, TimeUnit.SECONDS);
      assertEquals(CYCLES, seen.size());
      for (int i = 1; i < seen.size(); i++) {
        assertTrue(seen.get(i) > seen.get(i - 1), "fencing tokens grow per lock: " + seen);
      }
      allTokens.addAll(seen);
    }
    assertEquals(List.of(), wrong);
    assertEquals(THREADS * CYCLES, allTokens.size(), "every grant its own");
    // acquire and release per cycle, and a refused try per thread
    int operations = THREADS * (CYCLES * 2 + 1);
    int requests = log.since(mark).size();
    System.out.printf(
        "COALESCE threads=%d operations=%d requests=%d%n", THREADS, operations, requests);
    assertTrue(requests < operations, requests + " requests for " + operations + " operations");
    assertTrue(
        log.since(mark).stream().anyMatch(r -> r.path().endsWith("/api/v1/batch")),
        "batches were sent");
    taken.forEach(LockHandle::release);
  }

  @Test
  void loneCaller_sendsEachOperationAtOnce_inARequestOfItsOwn() {
    RequestLog log = new RequestLog();
    LockClient lone = clients.openLogged(log, c -> c.withCache(false));
    lone.acquire(prefix + "warm").release();
    int mark = log.mark();

    for (int i = 0; i < 5; i++) {
      lone.acquire(prefix + "lone").release();
    }

    // No other request was in flight, so none waited for another: the acquire is a batch of
    // one sent at once, the release its single call.
    List<String> sent =
        log.since(mark).stream()
            .map(RequestLog.Request::toString)
            .filter(r -> !r.endsWith("/keepalive"))
            .toList();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      expected.add("POST /api/v1/batch");
      expected.add("DELETE /api/v1/locks/" + prefix + "lone");
    }
    assertEquals(expected, sent);
  }

  @Test
  void eightWaitsOfOneClient_shareOneGrantChannelPoll() throws Exception {
    LockClient holder = clients.openUncached();
    LockClient observer = clients.openUncached();
    RequestLog log = new RequestLog();
    LockClient waiter = clients.openLogged(log, c -> c.withCache(false));
    waiter.acquire(prefix + "warm").release();
    List<LockHandle> held = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      held.add(holder.acquire(prefix + "busy-" + i));
    }
    List<CompletableFuture<LockHandle>> waits = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String name = prefix + "busy-" + i;
      waits.add(CompletableFuture.supplyAsync(() -> waiter.acquire(name), threads));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> countWaiting(observer) == 8);

    assertEquals(1, log.matching("GET", "/grants").size(), "one poll for eight waits");
    for (LockHandle handle : held) {
      handle.release();
    }
    for (CompletableFuture<LockHandle> wait : waits) {
      LockHandle granted = wait.get(10, TimeUnit.SECONDS);
      assertEquals(waiter.sessionId().orElseThrow(), granted.sessionId());
      granted.release();
    }
  }

  private long countWaiting(LockClient observer) {
    long waiting = 0;
    for (int i = 0; i < 8; i++) {
      waiting += observer.status(prefix + "busy-" + i).waiters().size();
    }
    return waiting;
  }

  @Test
  void waitsOverTheChannel_areGrantedInTheOrderOfTheLine() throws Exception {
    String name = prefix + "line";
    LockClient holder = clients.openUncached();
    LockClient observer = clients.openUncached();
    LockHandle held = holder.acquire(name);
    List<String> grantedTo = new CopyOnWriteArrayList<>();
    List<LockClient> waiters = new ArrayList<>();
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      LockClient waiter = clients.openUncached();
      waiters.add(waiter);
      waits.add(
          CompletableFuture.runAsync(
              () -> {
                try (LockHandle handle = waiter.acquire(name)) {
                  grantedTo.add(handle.sessionId());
                }
              },
              threads));
      int queued = i + 1;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> observer.status(name).waiters().size() == queued);
    }
    List<String> line = observer.status(name).waiters().stream().map(WaiterView::session).toList();

    held.release();

    CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    assertEquals(line, grantedTo);
    assertEquals(
        waiters.stream().map(w -> w.sessionId().orElseThrow()).toList(),
        grantedTo,
        "in the order they queued");
    assertEquals(LockView.FREE, observer.status(name).state());
  }
}
