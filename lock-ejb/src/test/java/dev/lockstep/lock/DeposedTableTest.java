package dev.lockstep.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.lock.events.EventFilter;
import dev.lockstep.lock.lease.LeaseLostException;
import dev.lockstep.lock.persistence.StoreSettings;
import dev.lockstep.lock.table.AcquireResult;
import dev.lockstep.lock.table.MutableClock;
import dev.lockstep.lock.table.OpenedSession;
import dev.lockstep.lock.table.TableLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An active whose commit finds the lease taken over: the commit is refused, it steps down once, and
 * from then on nothing it does is answered, published or sent to the store.
 */
class DeposedTableTest {
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

  /** What the refused callers are answered: the server's own not-leader refusal. */
  private static final class NotLeader extends RuntimeException {}

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeLockStore store = new FakeLockStore();
  private final RecordingWatcher watcher = new RecordingWatcher();
  private final List<LeaseLostException> steppedDown = new CopyOnWriteArrayList<>();
  private final NotLeader notLeader = new NotLeader();
  private DurableTable locks;

  @BeforeEach
  void start() {
    ServiceParts parts =
        ServiceParts.load(
            store,
            clock,
            SETTINGS,
            new LockCounters(new FakeCounters()),
            lost -> {
              steppedDown.add(lost);
              return notLeader;
            });
    parts.watches().watch(EventFilter.everything(), OptionalLong.empty(), watcher);
    locks = parts.table();
  }

  @Test
  void commit_whenTheLeaseWasTakenOver_isRefusedAndNothingAfterReachesTheStore() {
    OpenedSession session = locks.openSession("a", MINUTE, Duration.ZERO);
    store.deposeFromCall(2);

    NotLeader refused = assertThrows(NotLeader.class, () -> acquire(session));
    assertSame(notLeader, refused);
    int callsWhenDeposed = store.calls();

    assertThrows(NotLeader.class, () -> locks.view(JOBS));
    assertThrows(NotLeader.class, () -> locks.fencingValid(JOBS, 1));
    assertThrows(NotLeader.class, () -> locks.session(session.session().id()));
    assertThrows(NotLeader.class, () -> acquire(session));
    clock.advance(Duration.ofMinutes(2)); // the session is due: its expiry must not be stored
    assertThrows(NotLeader.class, () -> locks.expireDue());

    assertEquals(callsWhenDeposed, store.calls(), "nothing reached the store after the refusal");
    assertFalse(watcher.kinds().contains(EventKind.ACQUIRED), "no event of the refused grant");
    assertEquals(1, store.batches().size(), "only the session opened before is stored");
  }

  @Test
  void readerWaitingForTheRefusedBatch_isRefusedToo_notAnsweredWhatItSaw() throws Exception {
    OpenedSession session = locks.openSession("a", MINUTE, Duration.ZERO);
    store.deposeFromCall(2);
    CountDownLatch gate = new CountDownLatch(1);
    store.holdNextBatch(gate);
    CompletableFuture<AcquireResult> grant = CompletableFuture.supplyAsync(() -> acquire(session));
    store.awaitHolding();

    // The reader sees the grant in memory, and waits for the batch that holds it.
    CompletableFuture<Boolean> reader =
        CompletableFuture.supplyAsync(() -> locks.fencingValid(JOBS, 1));
    gate.countDown();

    assertRefused(grant);
    assertRefused(reader);
    assertFalse(steppedDown.isEmpty(), "the server was told to step down");
  }

  private AcquireResult acquire(OpenedSession session) {
    return locks.acquire(
        session.token().value(),
        JOBS,
        LockMode.EXCLUSIVE,
        "test",
        Duration.ZERO,
        null,
        new RecordingListener(store));
  }

  private static void assertRefused(CompletableFuture<?> call) {
    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
    assertInstanceOf(NotLeader.class, failed.getCause());
  }
}
