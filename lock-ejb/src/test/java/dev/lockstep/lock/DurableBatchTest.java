package dev.lockstep.lock;

import static dev.lockstep.api.LockMode.EXCLUSIVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockName;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.persistence.StoreSettings;
import dev.lockstep.lock.table.AcquireResult.Granted;
import dev.lockstep.lock.table.AcquireResult.Queued;
import dev.lockstep.lock.table.BatchAnswer;
import dev.lockstep.lock.table.BatchOperation;
import dev.lockstep.lock.table.BatchOperation.Acquire;
import dev.lockstep.lock.table.BatchOperation.Release;
import dev.lockstep.lock.table.BatchOperation.Withdraw;
import dev.lockstep.lock.table.BatchRequest;
import dev.lockstep.lock.table.BatchResult.Acquired;
import dev.lockstep.lock.table.LockTableException;
import dev.lockstep.lock.table.MutableClock;
import dev.lockstep.lock.table.OpenedSession;
import dev.lockstep.lock.table.TableLimits;
import dev.lockstep.lock.table.WaitEnded.WaitGranted;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batches on the durable table: one store call per batch, answered after it, and the waits a batch
 * queued ending on the session's grant channel through the one delivery path.
 */
class DurableBatchTest {
  private static final LockName A = new LockName("jobs/a");
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration WAIT = Duration.ofSeconds(10);
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
  private DurableTable locks;
  private DurableBatch batches;

  @BeforeEach
  void start() {
    ServiceParts parts = ServiceParts.load(store, clock, SETTINGS, new LockCounters(counters));
    locks = parts.table();
    batches = parts.batches();
  }

  @Test
  void batch_ofManyOperations_isOneStoreCall_withOneChange() {
    OpenedSession me = locks.openSession("me", MINUTE, null);
    int callsBefore = store.calls();
    List<BatchOperation> operations = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      LockName name = new LockName("jobs/" + i);
      operations.add(new Acquire(name, EXCLUSIVE, null, Duration.ZERO, null));
      operations.add(new Release(name));
    }

    BatchAnswer answer = batches.batch(token(me), new BatchRequest(operations, Set.of()));

    assertEquals(64, answer.results().size());
    assertEquals(callsBefore + 1, store.calls(), "one store call for the batch");
    assertEquals(1, store.batches().get(store.batches().size() - 1).size(), "one change in it");
    assertEquals(64, store.batches().get(store.batches().size() - 1).get(0).events().size());
    assertEquals(1, counters.count("lockstep.batches"));
    assertEquals(64, counters.count("lockstep.batch.operations"));
  }

  @Test
  void batchWait_grantedLater_endsOnTheSessionsChannel_inOrder() {
    OpenedSession holder = locks.openSession("holder", MINUTE, null);
    OpenedSession me = locks.openSession("me", MINUTE, null);
    LockName b = new LockName("jobs/b");
    locks.acquire(token(holder), A, EXCLUSIVE, null, Duration.ZERO, null, null);
    locks.acquire(token(holder), b, EXCLUSIVE, null, Duration.ZERO, null, null);
    BatchAnswer queued = batch(me, acquire(A, "r1"), acquire(b, "r2"));
    assertInstanceOf(Queued.class, ((Acquired) queued.results().get(0)).result());
    List<ChannelRead> reads = new CopyOnWriteArrayList<>();

    batches.poll(me.session().id(), token(me), 0, reads::add);
    assertTrue(reads.isEmpty(), "nothing ended yet: the poll waits");
    locks.release(token(holder), b);
    locks.release(token(holder), A);

    assertEquals(1, reads.size(), "the waiting poll was answered by the first ending");
    assertEquals("r2", reads.get(0).endings().get(0).requestId());
    List<ChannelEnding> all = read(me, 0).endings();
    assertEquals(List.of("r2", "r1"), all.stream().map(ChannelEnding::requestId).toList());
    assertEquals(List.of(1L, 2L), all.stream().map(ChannelEnding::seq).toList());
    WaitGranted granted = assertInstanceOf(WaitGranted.class, all.get(1).ended());
    assertEquals(me.session().id(), granted.grant().session());
    assertEquals(List.of("r1"), endingIds(read(me, 1)), "resumed after 1");
  }

  @Test
  void batchWait_withdrawnInTheSameBatch_endsOnTheChannel() {
    OpenedSession holder = locks.openSession("holder", MINUTE, null);
    OpenedSession me = locks.openSession("me", MINUTE, null);
    locks.acquire(token(holder), A, EXCLUSIVE, null, Duration.ZERO, null, null);

    batch(me, acquire(A, "r1"), new Withdraw(A));

    ChannelEnding ending = read(me, 0).endings().get(0);
    assertEquals("r1", ending.requestId());
    assertInstanceOf(WaitRefused.class, ending.ended());
  }

  @Test
  void batchWait_repeatedWithTheSameRequestId_isOneWait_notSuperseded() {
    OpenedSession holder = locks.openSession("holder", MINUTE, null);
    OpenedSession me = locks.openSession("me", MINUTE, null);
    locks.acquire(token(holder), A, EXCLUSIVE, null, Duration.ZERO, null, null);

    batch(me, acquire(A, "r1"));
    batch(me, acquire(A, "r1"));
    assertTrue(read(me, 0).endings().isEmpty(), "the retry did not end the wait");
    batch(me, acquire(A, "r2"));

    assertEquals(List.of("r1"), endingIds(read(me, 0)), "r2 superseded r1");
    locks.release(token(holder), A);
    assertEquals(List.of("r1", "r2"), endingIds(read(me, 0)));
  }

  @Test
  void batchWait_endsWithItsSession_andThePollIsAnsweredWithIt() {
    OpenedSession holder = locks.openSession("holder", MINUTE, null);
    OpenedSession me = locks.openSession("me", Duration.ofSeconds(5), null);
    locks.acquire(token(holder), A, EXCLUSIVE, null, Duration.ZERO, null, null);
    batch(me, new Acquire(A, EXCLUSIVE, null, MINUTE, "r1"));
    List<ChannelRead> reads = new CopyOnWriteArrayList<>();
    batches.poll(me.session().id(), token(me), 0, reads::add);

    clock.advance(Duration.ofSeconds(6));
    locks.expireDue();

    assertEquals(1, reads.size());
    WaitRefused refused =
        assertInstanceOf(WaitRefused.class, reads.get(0).endings().get(0).ended());
    assertTrue(refused.reason().contains("expired"), refused.reason());
    assertTrue(locks.view(A).waiters().isEmpty());
    assertEquals(0, batches.channelCount(), "the ended session's channel is gone");
    LockTableException gone = assertThrows(LockTableException.class, () -> read(me, 0));
    assertEquals(ProblemType.NOT_FOUND, gone.type());
  }

  @Test
  void batchWait_endsAtItsDeadline_onTheChannel() {
    OpenedSession holder = locks.openSession("holder", MINUTE, null);
    OpenedSession me = locks.openSession("me", MINUTE, null);
    locks.acquire(token(holder), A, EXCLUSIVE, null, Duration.ZERO, null, null);
    batch(me, acquire(A, "r1"));

    clock.advance(WAIT.plusSeconds(1));
    locks.expireDue();

    ChannelEnding ending = read(me, 0).endings().get(0);
    WaitRefused refused = assertInstanceOf(WaitRefused.class, ending.ended());
    assertTrue(refused.reason().contains("not granted within the wait"), refused.reason());
    assertTrue(locks.view(A).waiters().isEmpty());
  }

  @Test
  void poll_ofAnotherSessionsToken_isForbidden() {
    OpenedSession me = locks.openSession("me", MINUTE, null);
    OpenedSession other = locks.openSession("other", MINUTE, null);

    LockTableException refused =
        assertThrows(
            LockTableException.class,
            () -> batches.poll(me.session().id(), token(other), 0, read -> {}));

    assertEquals(ProblemType.FORBIDDEN, refused.type());
  }

  @Test
  void batchGrantAtOnce_isInTheAnswer_notOnTheChannel() {
    OpenedSession me = locks.openSession("me", MINUTE, null);

    BatchAnswer answer = batch(me, acquire(A, "r1"));

    assertInstanceOf(Granted.class, ((Acquired) answer.results().get(0)).result());
    assertTrue(read(me, 0).endings().isEmpty());
    assertFalse(read(me, 0).reset());
  }

  private BatchAnswer batch(OpenedSession session, BatchOperation... operations) {
    return batches.batch(token(session), new BatchRequest(List.of(operations), Set.of()));
  }

  private static Acquire acquire(LockName name, String request) {
    return new Acquire(name, EXCLUSIVE, null, WAIT, request);
  }

  /** The channel read at once: a poll that would wait is expired, answering it empty. */
  private ChannelRead read(OpenedSession session, long after) {
    List<ChannelRead> reads = new ArrayList<>();
    batches.poll(session.session().id(), token(session), after, reads::add).expire();
    return reads.get(0);
  }

  private static List<String> endingIds(ChannelRead read) {
    return read.endings().stream().map(ChannelEnding::requestId).toList();
  }

  private static String token(OpenedSession session) {
    return session.token().value();
  }
}
