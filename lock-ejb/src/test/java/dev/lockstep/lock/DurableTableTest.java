package dev.lockstep.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.LockEvent;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.events.EventFilter;
import dev.lockstep.lock.persistence.StoreSettings;
import dev.lockstep.lock.table.AcquireResult;
import dev.lockstep.lock.table.Changes;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.LockTableException;
import dev.lockstep.lock.table.MutableClock;
import dev.lockstep.lock.table.OpenedSession;
import dev.lockstep.lock.table.TableLimits;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lock service without a container: the durable table with a fake store and a fake clock. Each
 * test that claims an order between threads holds a batch in the store and shows where the other
 * threads wait, rather than hoping they are slow.
 */
class DurableTableTest {
  private static final LockName JOBS = new LockName("jobs");
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final LockstepSettings SETTINGS =
      new LockstepSettings(
          TableLimits.defaults(),
          StoreSettings.h2(Path.of("unused")),
          Duration.ofMillis(50),
          1_000,
          10,
          100,
          Duration.ofSeconds(10));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeLockStore store = new FakeLockStore();
  private final FakeCounters counters = new FakeCounters();
  private final RecordingWatcher watcher = new RecordingWatcher();
  private final List<Thread> threads = new ArrayList<>();
  private DurableTable locks;

  @BeforeEach
  void start() {
    ServiceParts parts = ServiceParts.load(store, clock, SETTINGS, new LockCounters(counters));
    parts.watches().watch(EventFilter.everything(), OptionalLong.empty(), watcher);
    locks = parts.table();
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (Thread thread : threads) {
      thread.join(10_000);
    }
  }

  @Test
  void operations_whileABatchIsStored_queueAndShareTheNextStoreCall() throws Exception {
    CountDownLatch letGo = new CountDownLatch(1);
    store.holdNextBatch(letGo);
    CompletableFuture<OpenedSession> first = inThread(() -> open(MINUTE));
    store.awaitHolding();
    List<CompletableFuture<OpenedSession>> queued = new ArrayList<>();
    List<Thread> queuedThreads = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      queued.add(inThread(() -> open(MINUTE)));
      queuedThreads.add(threads.get(threads.size() - 1));
    }
    for (Thread thread : queuedThreads) {
      InGroupCommit.awaitBlocked(thread);
    }
    assertEquals(1, store.calls(), "the queued operations have not reached the store");
    assertFalse(queued.stream().anyMatch(CompletableFuture::isDone), "none answered unstored");

    letGo.countDown();
    first.get(10, TimeUnit.SECONDS);
    for (CompletableFuture<OpenedSession> each : queued) {
      each.get(10, TimeUnit.SECONDS);
    }
    assertEquals(2, store.calls(), "five operations, one store call");
    assertEquals(5, store.batches().get(1).size());
    assertEquals(2, counters.count("lockstep.store.commits"));
    assertEquals(6, counters.count("lockstep.store.changes"));
  }

  @Test
  void apply_whenItsBatchFails_refusesEveryCallerUnavailable_andDeliversNothingOfIt()
      throws Exception {
    Client holder = client(MINUTE);
    Client waiter = client(MINUTE);
    assertInstanceOf(AcquireResult.Granted.class, acquire(holder, JOBS, MINUTE, noListener()));
    RecordingListener told = new RecordingListener(store);
    assertInstanceOf(AcquireResult.Queued.class, acquire(waiter, JOBS, MINUTE, told));
    List<LockEvent> before = List.copyOf(watcher.events());
    long grantsBefore = counters.count("lockstep.grants");

    CountDownLatch letGo = new CountDownLatch(1);
    store.holdNextBatch(letGo);
    store.failCall(store.calls() + 2);
    CompletableFuture<OpenedSession> heldFirst = inThread(() -> open(MINUTE));
    store.awaitHolding();
    CompletableFuture<Grant> release = inThread(() -> locks.release(holder.token(), JOBS));
    CompletableFuture<OpenedSession> opening = inThread(() -> open(MINUTE));
    InGroupCommit.awaitBlocked(threads.get(threads.size() - 2));
    InGroupCommit.awaitBlocked(threads.get(threads.size() - 1));
    letGo.countDown();

    heldFirst.get(10, TimeUnit.SECONDS);
    assertUnavailable(release);
    assertUnavailable(opening);
    assertEquals(List.of(), told.told(), "the waiter the failed batch granted is not told");
    List<LockEvent> after = watcher.events().subList(before.size(), watcher.events().size());
    assertFalse(
        after.stream().anyMatch(e -> e.kind() == EventKind.RELEASED),
        "no event of the failed batch is published: " + after);
    assertEquals(grantsBefore, counters.count("lockstep.grants"));
    assertEquals(grantsBefore, locks.stats().grants(), "the totals are the counters");
  }

  @Test
  void read_whileWhatItSawIsBeingStored_waitsUntilItIsStored() throws Exception {
    Client holder = client(MINUTE);
    CountDownLatch letGo = new CountDownLatch(1);
    store.holdNextBatch(letGo);
    CompletableFuture<AcquireResult> acquiring =
        inThread(() -> acquire(holder, JOBS, Duration.ZERO, noListener()));
    store.awaitHolding();
    CompletableFuture<LockView> reading = inThread(() -> locks.view(JOBS));
    Thread reader = threads.get(threads.size() - 1);
    InGroupCommit.awaitBlocked(reader);
    assertFalse(reading.isDone(), "the reader does not answer what is not stored yet");

    letGo.countDown();
    LockView seen = reading.get(10, TimeUnit.SECONDS);
    assertEquals(LockView.HELD, seen.state());
    assertEquals(holder.id(), seen.holders().get(0).session());
    Grant grant = ((AcquireResult.Granted) acquiring.get(10, TimeUnit.SECONDS)).grant();
    assertTrue(store.holdsGrant(grant), "what the reader saw is stored");
  }

  @Test
  void expireDue_whenASessionOutlivesItsTtl_releasesItsLock_publishes_andGrantsTheNextWaiter() {
    Client holder = client(Duration.ofSeconds(2));
    Client waiter = client(MINUTE);
    Grant held = granted(acquire(holder, JOBS, Duration.ZERO, noListener()));
    RecordingListener told = new RecordingListener(store);
    assertInstanceOf(AcquireResult.Queued.class, acquire(waiter, JOBS, MINUTE, told));

    clock.advance(Duration.ofSeconds(1));
    locks.expireDue();
    assertEquals(List.of(), told.told(), "not due yet");

    int eventsBefore = watcher.events().size();
    clock.advance(Duration.ofSeconds(2));
    locks.expireDue();
    assertEquals(1, told.told().size());
    RecordingListener.Told telling = told.told().get(0);
    Grant grant = assertInstanceOf(Grant.class, telling.ending());
    assertEquals(waiter.id(), grant.session());
    assertTrue(telling.grantStored(), "told only once the grant is stored");
    assertEquals(Thread.currentThread().getName(), telling.thread(), "told by the passing caller");
    Changes expiry = store.batches().get(store.batches().size() - 1).get(0);
    assertEquals(List.of(held), expiry.grantsRemoved());
    assertEquals(List.of(holder.id()), expiry.sessionsEnded());
    assertEquals(
        List.of(EventKind.EXPIRED, EventKind.SESSION_EXPIRED, EventKind.ACQUIRED),
        watcher.kinds().subList(eventsBefore, watcher.kinds().size()),
        "the expiry's events, published");
    assertEquals(1, counters.count("lockstep.expiries"));
    assertEquals(1, counters.count("lockstep.session.expiries"));
    assertEquals(waiter.id(), locks.view(JOBS).holders().get(0).session());
  }

  @Test
  void acquire_whenQueuedAgain_refusesTheOlderWait() throws Exception {
    Client holder = client(MINUTE);
    Client waiter = client(MINUTE);
    granted(acquire(holder, JOBS, Duration.ZERO, noListener()));
    RecordingListener older = new RecordingListener(store);
    RecordingListener newer = new RecordingListener(store);
    AcquireResult.Queued first =
        assertInstanceOf(AcquireResult.Queued.class, acquire(waiter, JOBS, MINUTE, older));

    CountDownLatch letGo = new CountDownLatch(1);
    store.holdNextBatch(letGo);
    CompletableFuture<OpenedSession> heldFirst = inThread(() -> open(MINUTE));
    store.awaitHolding();
    CompletableFuture<AcquireResult> again = inThread(() -> acquire(waiter, JOBS, MINUTE, newer));
    Thread retrying = threads.get(threads.size() - 1);
    InGroupCommit.awaitBlocked(retrying);
    assertEquals(List.of(), older.told(), "the refusal travels with its batch, after the commit");

    letGo.countDown();
    heldFirst.get(10, TimeUnit.SECONDS);
    AcquireResult.Queued second =
        assertInstanceOf(AcquireResult.Queued.class, again.get(10, TimeUnit.SECONDS));
    assertEquals(first.waiterId(), second.waiterId(), "the newer request keeps the place in line");
    assertEquals(1, older.told().size());
    RecordingListener.Told telling = older.told().get(0);
    WaitRefused refusal = assertInstanceOf(WaitRefused.class, telling.ending());
    assertEquals(ProblemType.CONFLICT, refusal.type());
    assertEquals(holder.id(), refusal.view().holders().get(0).session());
    assertEquals(retrying.getName(), telling.thread(), "told by the caller that superseded it");

    locks.release(holder.token(), JOBS);
    assertEquals(1, older.told().size(), "the older wait is told once");
    Grant grant = assertInstanceOf(Grant.class, newer.told().get(0).ending());
    assertEquals(waiter.id(), grant.session());
  }

  @Test
  void cancelWait_beforeTheWaitEnds_leavesItsListenerUntold() {
    Client holder = client(MINUTE);
    Client waiter = client(MINUTE);
    granted(acquire(holder, JOBS, Duration.ZERO, noListener()));
    RecordingListener told = new RecordingListener(store);
    AcquireResult.Queued queued =
        assertInstanceOf(AcquireResult.Queued.class, acquire(waiter, JOBS, MINUTE, told));

    assertTrue(locks.cancelWait(queued.waiterId()));
    locks.release(holder.token(), JOBS);

    assertEquals(List.of(), told.told());
    assertEquals(LockView.FREE, locks.view(JOBS).state());
  }

  @Test
  void stats_countEachGrantAndReleaseOnce() {
    Client holder = client(MINUTE);
    granted(acquire(holder, JOBS, Duration.ZERO, noListener()));
    locks.release(holder.token(), JOBS);

    LockStats stats = locks.stats();
    assertEquals(1, stats.grants());
    assertEquals(1, stats.releases());
    assertEquals(1, counters.count("lockstep.grants"));
    assertEquals(1, counters.count("lockstep.releases"));
    assertEquals(watcher.events().size(), counters.count("lockstep.events"));
    assertEquals(1, stats.sessions());
    assertEquals(1, stats.watchers());
  }

  @Test
  void close_storesWhatIsQueuedAndClosesTheStore() {
    client(MINUTE);
    locks.close();
    assertTrue(store.closed());
    assertEquals(1, store.batches().size());
  }

  // ---------------------------------------------------------------- fixture

  private record Client(String id, String token) {}

  private Client client(Duration ttl) {
    OpenedSession opened = open(ttl);
    return new Client(opened.session().id(), opened.token().value());
  }

  private OpenedSession open(Duration ttl) {
    return locks.openSession("test", ttl, Duration.ZERO);
  }

  private AcquireResult acquire(
      Client client, LockName name, Duration wait, WaitListener listener) {
    return locks.acquire(client.token(), name, LockMode.EXCLUSIVE, "test", wait, null, listener);
  }

  private static Grant granted(AcquireResult result) {
    return assertInstanceOf(AcquireResult.Granted.class, result).grant();
  }

  private static WaitListener noListener() {
    return new WaitListener() {
      @Override
      public void granted(Grant grant) {
        throw new AssertionError("not queued");
      }

      @Override
      public void refused(WaitRefused refusal) {
        throw new AssertionError("not queued");
      }
    };
  }

  /**
   * Runs {@code call} on a thread of its own, remembered so that the test can see where it waits.
   */
  private <T> CompletableFuture<T> inThread(Supplier<T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(call.get());
              } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
              }
            },
            "caller-" + threads.size());
    threads.add(thread);
    thread.start();
    return result;
  }

  private static void assertUnavailable(CompletableFuture<?> call) {
    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
    LockTableException refused = assertInstanceOf(LockTableException.class, failed.getCause());
    assertEquals(ProblemType.UNAVAILABLE, refused.type());
  }
}
