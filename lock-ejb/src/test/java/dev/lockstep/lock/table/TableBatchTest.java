package dev.lockstep.lock.table;

import static dev.lockstep.api.LockMode.EXCLUSIVE;
import static dev.lockstep.api.LockMode.SHARED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.LockEvent;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.session.SessionTokenIssuer;
import dev.lockstep.lock.table.AcquireResult.Conflict;
import dev.lockstep.lock.table.AcquireResult.Granted;
import dev.lockstep.lock.table.AcquireResult.Queued;
import dev.lockstep.lock.table.BatchOperation.Acquire;
import dev.lockstep.lock.table.BatchOperation.Cancel;
import dev.lockstep.lock.table.BatchOperation.KeepAlive;
import dev.lockstep.lock.table.BatchOperation.Release;
import dev.lockstep.lock.table.BatchOperation.Unreadable;
import dev.lockstep.lock.table.BatchOperation.Withdraw;
import dev.lockstep.lock.table.BatchResult.Acquired;
import dev.lockstep.lock.table.BatchResult.Done;
import dev.lockstep.lock.table.BatchResult.KeptAlive;
import dev.lockstep.lock.table.BatchResult.Refused;
import dev.lockstep.lock.table.BatchResult.Released;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The rules of a batch: in order, each operation's refusal its own, one outcome for all. */
class TableBatchTest {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration TTL = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final LockName A = new LockName("jobs/a");
  private static final LockName B = new LockName("jobs/b");

  private final MutableClock clock = new MutableClock(START);
  private final LockTable table =
      new LockTable(clock, TableLimits.defaults(), new SessionTokenIssuer(new SplittableRandom(1)));
  private final Client me = Client.open(table, TTL, Duration.ZERO);
  private final Client other = Client.open(table, TTL, Duration.ZERO);

  private Outcome<BatchAnswer> batch(Client client, BatchOperation... operations) {
    return table.batch(client.token(), new BatchRequest(List.of(operations), Set.of()));
  }

  private static Acquire acquire(LockName name, Duration wait, String request) {
    return new Acquire(name, EXCLUSIVE, "me", wait, request);
  }

  @Test
  void batch_appliesInOrder_eachSeeingTheOnesBefore() {
    Outcome<BatchAnswer> outcome =
        batch(
            me,
            acquire(A, Duration.ZERO, null),
            new Release(A),
            acquire(A, Duration.ZERO, null),
            acquire(A, Duration.ZERO, null));

    List<BatchResult> results = outcome.result().results();
    Grant first = grantOf(results.get(0));
    assertEquals(first, assertInstanceOf(Released.class, results.get(1)).grant());
    Grant second = grantOf(results.get(2));
    assertTrue(second.fencingToken() > first.fencingToken(), "a new grant after the release");
    Granted repeated = assertInstanceOf(Granted.class, acquiredOf(results.get(3)));
    assertTrue(repeated.repeated(), "the fourth finds the third's hold");
    assertEquals(List.of(me.id()), holdersOf(A));
    assertEquals(table.revision(), outcome.result().revision());
    assertEquals(me.id(), outcome.result().session());
  }

  @Test
  void batch_refusalsAreTheirOperationsOwn_andTheOthersStillApply() {
    other.grant(table, B, EXCLUSIVE);
    Outcome<BatchAnswer> outcome =
        batch(
            me,
            new Release(A), // not held
            acquire(B, Duration.ZERO, null), // held by other: a conflict result
            new Unreadable(new LockTableException(ProblemType.BAD_REQUEST, "bad mode")),
            new Withdraw(B), // nothing queued
            acquire(A, Duration.ZERO, "r1"));

    List<BatchResult> results = outcome.result().results();
    assertEquals(ProblemType.NOT_HELD, refusalOf(results.get(0)).type());
    assertInstanceOf(Conflict.class, acquiredOf(results.get(1)));
    assertEquals("bad mode", refusalOf(results.get(2)).getMessage());
    assertEquals(ProblemType.CONFLICT, refusalOf(results.get(3)).type());
    assertEquals(me.id(), grantOf(results.get(4)).session());
    assertEquals(
        List.of(EventKind.ACQUIRED),
        outcome.changes().events().stream().map(LockEvent::kind).toList(),
        "only the applied operation changed anything");
  }

  @Test
  void batch_isOneOutcome_withEveryOperationsChanges() {
    Outcome<BatchAnswer> outcome =
        batch(me, acquire(A, Duration.ZERO, null), acquire(B, Duration.ZERO, null), new Release(A));

    Changes changes = outcome.changes();
    assertEquals(
        List.of(EventKind.ACQUIRED, EventKind.ACQUIRED, EventKind.RELEASED),
        changes.events().stream().map(LockEvent::kind).toList());
    assertEquals(List.of(B), changes.grantsAdded().stream().map(Grant::lock).toList());
    assertTrue(changes.grantsRemoved().isEmpty(), "A was granted and released in the batch");
    assertEquals(table.revision(), changes.counter());
  }

  @Test
  void batch_namingAnotherSession_isRefusedWhole_beforeAnythingChanged() {
    long before = table.revision();
    BatchRequest mixed =
        new BatchRequest(List.of(acquire(A, Duration.ZERO, null)), Set.of(me.id(), other.id()));

    LockTableException refused =
        assertThrows(LockTableException.class, () -> table.batch(me.token(), mixed));

    assertEquals(ProblemType.BAD_REQUEST, refused.type());
    assertEquals(before, table.revision());
    assertEquals(LockView.FREE, table.view(A).state());
  }

  @Test
  void batch_namingItsOwnSession_isApplied() {
    BatchRequest own = new BatchRequest(List.of(acquire(A, Duration.ZERO, null)), Set.of(me.id()));

    grantOf(table.batch(me.token(), own).result().results().get(0));
  }

  @Test
  void batch_withAnUnknownToken_isUnauthorized() {
    LockTableException refused =
        assertThrows(
            LockTableException.class, () -> batch(new Client("x", "x.y"), new KeepAlive()));
    assertEquals(ProblemType.UNAUTHORIZED, refused.type());
  }

  @Test
  void batchRequest_ofNoneOrMoreThan64_isBadRequest() {
    List<BatchOperation> many = new ArrayList<>();
    for (int i = 0; i < TableLimits.MAX_BATCH_OPERATIONS + 1; i++) {
      many.add(new KeepAlive());
    }
    assertEquals(
        ProblemType.BAD_REQUEST,
        assertThrows(LockTableException.class, () -> new BatchRequest(many, Set.of())).type());
    assertEquals(
        ProblemType.BAD_REQUEST,
        assertThrows(LockTableException.class, () -> new BatchRequest(List.of(), Set.of())).type());
    assertEquals(64, new BatchRequest(many.subList(0, 64), Set.of()).operations().size());
  }

  @Test
  void batchAcquire_thatMayWait_needsARequestId_andQueuesWithIt() {
    other.grant(table, A, EXCLUSIVE);

    Outcome<BatchAnswer> outcome =
        batch(me, acquire(A, WAIT, null), acquire(A, WAIT, "r1"), new Cancel(A, "r1"));

    List<BatchResult> results = outcome.result().results();
    assertEquals(ProblemType.BAD_REQUEST, refusalOf(results.get(0)).type());
    Queued queued = assertInstanceOf(Queued.class, acquiredOf(results.get(1)));
    assertInstanceOf(Done.class, results.get(2));
    WaitRefused ended = assertInstanceOf(WaitRefused.class, outcome.changes().waitsEnded().get(0));
    assertEquals(queued.waiterId(), ended.waiterId(), "the cancel in the same batch ended it");
    assertTrue(table.view(A).waiters().isEmpty());
  }

  @Test
  void batchWait_thatWouldCloseACycle_isThatOperationsDeadlock() {
    me.grant(table, B, EXCLUSIVE);
    other.grant(table, A, EXCLUSIVE);
    assertInstanceOf(Queued.class, other.acquire(table, B, EXCLUSIVE, WAIT).result());

    Outcome<BatchAnswer> outcome = batch(me, acquire(A, WAIT, "r1"), new Release(B));

    List<BatchResult> results = outcome.result().results();
    LockTableException deadlock = refusalOf(results.get(0));
    assertEquals(ProblemType.DEADLOCK, deadlock.type());
    assertTrue(deadlock.cycle().isPresent());
    assertInstanceOf(Released.class, results.get(1));
    assertEquals(List.of(other.id()), holdersOf(B), "the release granted the other's wait");
  }

  @Test
  void batchKeepAlive_renewsTheSession() {
    clock.advance(Duration.ofSeconds(20));

    KeptAlive kept =
        assertInstanceOf(KeptAlive.class, batch(me, new KeepAlive()).result().results().get(0));

    assertEquals(clock.instant().plus(TTL), kept.session().expiresAt());
    clock.advance(Duration.ofSeconds(20));
    assertTrue(table.session(me.id()).isPresent(), "alive past its first TTL");
  }

  @Test
  void batchWait_endsWithItsSession() {
    other.grant(table, A, SHARED);
    Queued queued =
        assertInstanceOf(
            Queued.class, acquiredOf(batch(me, acquire(A, WAIT, "r1")).result().results().get(0)));

    Outcome<Void> closed = table.closeSession(me.id(), me.token());

    WaitRefused ended = assertInstanceOf(WaitRefused.class, closed.changes().waitsEnded().get(0));
    assertEquals(queued.waiterId(), ended.waiterId());
    assertTrue(ended.reason().contains("closed"), ended.reason());
  }

  private List<String> holdersOf(LockName name) {
    return table.view(name).holders().stream().map(h -> h.session()).toList();
  }

  private static AcquireResult acquiredOf(BatchResult result) {
    return assertInstanceOf(Acquired.class, result).result();
  }

  private static Grant grantOf(BatchResult result) {
    return assertInstanceOf(Granted.class, acquiredOf(result)).grant();
  }

  private static LockTableException refusalOf(BatchResult result) {
    return assertInstanceOf(
        LockTableException.class, assertInstanceOf(Refused.class, result).refusal());
  }
}
