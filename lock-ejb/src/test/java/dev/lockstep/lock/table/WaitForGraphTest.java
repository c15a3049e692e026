package dev.lockstep.lock.table;

import static dev.lockstep.api.LockMode.EXCLUSIVE;
import static dev.lockstep.api.LockMode.SHARED;
import static java.time.Duration.ZERO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.HolderView;
import dev.lockstep.api.LockEvent;
import dev.lockstep.api.LockList;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.api.ProblemType;
import dev.lockstep.api.WaiterView;
import dev.lockstep.lock.session.SessionTokenIssuer;
import dev.lockstep.lock.table.AcquireResult.Conflict;
import dev.lockstep.lock.table.AcquireResult.Granted;
import dev.lockstep.lock.table.AcquireResult.Queued;
import dev.lockstep.lock.table.WaitEnded.WaitGranted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Deadlock detection, one case each, driven through the lock table (the graph is read off the
 * table's sessions and queues, so that is where it is tested). A queued request waits for every
 * incompatible holder of its lock and every incompatible request ahead of it in line; only shared
 * with shared is compatible. A wait that would close a cycle of such edges is refused at once with
 * {@code DEADLOCK} and the cycle: session, lock it would wait for, next session, ..., back to the
 * requester.
 */
class WaitForGraphTest {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration TTL = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final LockName L1 = new LockName("jobs/1");
  private static final LockName L2 = new LockName("jobs/2");
  private static final LockName L3 = new LockName("jobs/3");

  private final MutableClock clock = new MutableClock(START);
  private final LockTable table =
      new LockTable(clock, TableLimits.defaults(), new SessionTokenIssuer(new SplittableRandom(7)));

  // ---------------------------------------------------------------- cycles of exclusive holds

  @Test
  void acquire_whenWaitWouldCloseACycleOfTwo_isRefusedWithTheCycle() {
    Client a = open();
    Client b = open();
    Grant a1 = a.grant(table, L1, EXCLUSIVE);
    Grant b2 = b.grant(table, L2, EXCLUSIVE);
    queue(b, L1, EXCLUSIVE);

    LockTableException refused = deadlock(a, L2, EXCLUSIVE);

    assertEquals(List.of(a.id(), L2.value(), b.id(), L1.value(), a.id()), cycleOf(refused));
    LockView view = refused.view().orElseThrow();
    assertEquals(L2.value(), view.name(), "the view is the lock asked for");
    assertEquals(
        List.of(new HolderView(b.id(), b.owner(), b2.fencingToken(), START)), view.holders());
    assertEquals(List.of(), view.waiters());
    assertTrue(refused.getMessage().contains(a.id() + " -> " + L2.value() + " -> " + b.id()));
    assertTrue(table.fencingValid(L1, a1.fencingToken()));
  }

  @Test
  void acquire_whenWaitWouldCloseACycleOfThree_isRefusedWithTheCycle() {
    Client a = open();
    Client b = open();
    Client c = open();
    a.grant(table, L1, EXCLUSIVE);
    b.grant(table, L2, EXCLUSIVE);
    c.grant(table, L3, EXCLUSIVE);
    Queued aWaits = queue(a, L2, EXCLUSIVE);
    Queued bWaits = queue(b, L3, EXCLUSIVE);

    LockTableException refused = deadlock(c, L1, EXCLUSIVE);

    assertEquals(1, aWaits.position());
    assertEquals(1, bWaits.position());
    assertEquals(
        List.of(c.id(), L1.value(), a.id(), L2.value(), b.id(), L3.value(), c.id()),
        cycleOf(refused));
  }

  @Test
  void acquire_whenWaitWouldCloseACycleOfTen_isRefusedWithEverySessionAndLockInOrder() {
    List<Client> clients = new ArrayList<>();
    List<LockName> locks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      clients.add(open());
      locks.add(new LockName("ring/" + i));
      clients.get(i).grant(table, locks.get(i), EXCLUSIVE);
    }
    for (int i = 0; i < 9; i++) {
      Queued queued = queue(clients.get(i), locks.get(i + 1), i % 2 == 0 ? EXCLUSIVE : SHARED);
      assertEquals(1, queued.position(), "session " + i + " waits; no cycle yet");
    }
    assertEquals(9, table.waiterCount());

    LockTableException refused = deadlock(clients.get(9), locks.get(0), SHARED);

    List<String> expected = new ArrayList<>();
    expected.add(clients.get(9).id());
    for (int i = 0; i < 10; i++) {
      expected.add(locks.get(i).value());
      expected.add(clients.get(i).id());
    }
    assertEquals(expected, cycleOf(refused));
    assertEquals(21, cycleOf(refused).size());
    assertEquals(9, table.waiterCount());
  }

  // ---------------------------------------------------------------- shared modes

  @Test
  void acquire_whenTwoShareALockAndEachWaitsForALockTheOtherHoldsExclusive_isADeadlock() {
    Client a = open();
    Client b = open();
    a.grant(table, L1, SHARED);
    b.grant(table, L1, SHARED);
    a.grant(table, L2, EXCLUSIVE);
    b.grant(table, L3, EXCLUSIVE);
    queue(a, L3, SHARED);

    LockTableException refused = deadlock(b, L2, SHARED);

    assertEquals(List.of(b.id(), L2.value(), a.id(), L3.value(), b.id()), cycleOf(refused));
    assertEquals(List.of(a.id(), b.id()), sessions(table.view(L1).holders()));
  }

  @Test
  void acquire_exclusiveWhenEachHoldsSharedWhatTheOtherWants_isADeadlock() {
    Client a = open();
    Client b = open();
    a.grant(table, L1, SHARED);
    b.grant(table, L2, SHARED);
    queue(a, L2, EXCLUSIVE);

    LockTableException refused = deadlock(b, L1, EXCLUSIVE);

    assertEquals(List.of(b.id(), L1.value(), a.id(), L2.value(), b.id()), cycleOf(refused));
  }

  /** Sharing a lock is not waiting: a and b share L1 and both wait for c, which is no cycle. */
  @Test
  void acquire_whenSessionsShareALockAndWaitForTheSameHolder_queuesThem() {
    Client a = open();
    Client b = open();
    Client c = open();
    a.grant(table, L1, SHARED);
    b.grant(table, L1, SHARED);
    c.grant(table, L2, EXCLUSIVE);
    Queued aWaits = queue(a, L2, EXCLUSIVE);
    Queued behindA = queue(b, L2, SHARED);

    Outcome<AcquireResult> shared = c.acquire(table, L1, SHARED, WAIT);

    assertEquals(1, aWaits.position());
    assertEquals(2, behindA.position());
    assertInstanceOf(Granted.class, shared.result(), "c shares L1 with the sessions waiting on it");
    assertEquals(List.of(a.id(), b.id(), c.id()), sessions(table.view(L1).holders()));
  }

  @Test
  void acquire_exclusiveWhereSharedWouldNotDeadlock_isRefusedThroughEitherSharedHolder() {
    Client a = open();
    Client b = open();
    Client c = open();
    a.grant(table, L1, SHARED);
    b.grant(table, L1, SHARED);
    c.grant(table, L2, EXCLUSIVE);
    queue(a, L2, EXCLUSIVE);
    queue(b, L2, SHARED);

    LockTableException refused = deadlock(c, L1, EXCLUSIVE);

    List<String> cycle = cycleOf(refused);
    assertTrue(
        cycle.equals(List.of(c.id(), L1.value(), a.id(), L2.value(), c.id()))
            || cycle.equals(List.of(c.id(), L1.value(), b.id(), L2.value(), c.id())),
        "c would wait for a and for b, and both wait for c: " + cycle);
  }

  /**
   * a's shared request is ahead of b's in L1's line, but shared requests do not wait for each
   * other: b waits only for L1's writer. So a's wait for L2, which b holds, closes no cycle, and
   * once the writer lets go everything is granted.
   */
  @Test
  void acquire_whenTheOnlyPathRunsFromASharedRequestToASharedOneAheadOfIt_isQueued() {
    Client writer = open();
    Client a = open();
    Client b = open();
    writer.grant(table, L1, EXCLUSIVE);
    b.grant(table, L2, EXCLUSIVE);
    queue(a, L1, SHARED);
    queue(b, L1, SHARED);

    Queued queued = queue(a, L2, EXCLUSIVE);

    assertEquals(1, queued.position());
    Changes released = table.release(writer.token(), L1).changes();
    assertEquals(2, grantedIn(released).size(), "both shared requests are granted together");
    assertEquals(List.of(a.id(), b.id()), sessions(table.view(L1).holders()));
    assertEquals(
        List.of(a.id()),
        grantedIn(table.release(b.token(), L2).changes()).stream().map(Grant::session).toList());
  }

  /**
   * During a lock-delay a shared request queues even though the lock is held only shared: it waits
   * for the delay, not for the shared holder, so the holder waiting for the requester is no cycle.
   */
  @Test
  void acquire_sharedDuringALockDelayNextToASharedHolderThatWaitsForTheRequester_isQueued() {
    Client expiring = Client.open(table, Duration.ofSeconds(2), Duration.ofSeconds(5));
    Client a = open();
    Client c = open();
    expiring.grant(table, L1, SHARED);
    a.grant(table, L1, SHARED);
    c.grant(table, L2, EXCLUSIVE);
    queue(a, L2, EXCLUSIVE);
    clock.advance(Duration.ofSeconds(2));
    assertEquals(List.of(expiring.id()), table.expireDue().changes().sessionsEnded());

    Queued queued = queue(c, L1, SHARED);

    assertEquals(1, queued.position());
    clock.advance(Duration.ofSeconds(5));
    List<Grant> afterDelay = grantedIn(table.expireDue().changes());
    assertEquals(List.of(c.id()), afterDelay.stream().map(Grant::session).toList());
    assertEquals(List.of(a.id(), c.id()), sessions(table.view(L1).holders()));
  }

  // ---------------------------------------------------------------- cycles through a line

  /**
   * Nobody in the cycle holds what the next one waits for: b waits for a only because a's request
   * is ahead of b's in L2's line (both behind c, who waits for nothing). a waiting for L1, which b
   * holds, would close a -> b -> a.
   */
  @Test
  void acquire_whenTheCycleRunsThroughARequestAheadInLine_isRefused() {
    Client a = open();
    Client b = open();
    Client c = open();
    b.grant(table, L1, EXCLUSIVE);
    c.grant(table, L2, EXCLUSIVE);
    queue(a, L2, EXCLUSIVE);
    queue(b, L2, SHARED);

    LockTableException refused = deadlock(a, L1, EXCLUSIVE);

    assertEquals(List.of(a.id(), L1.value(), b.id(), L2.value(), a.id()), cycleOf(refused));
    assertEquals(List.of(c.id()), sessions(table.view(L2).holders()));
  }

  /**
   * A request waits for those ahead of it in line, never for those behind it: b is behind a in L2's
   * line, so b waiting for L1, which a holds, closes no cycle.
   */
  @Test
  void acquire_whenTheOnlyPathBackRunsToARequestBehindInLine_isQueued() {
    Client a = open();
    Client b = open();
    Client c = open();
    a.grant(table, L1, EXCLUSIVE);
    c.grant(table, L2, EXCLUSIVE);
    queue(a, L2, EXCLUSIVE);
    queue(b, L2, EXCLUSIVE);

    Queued queued = queue(b, L1, EXCLUSIVE);

    assertEquals(1, queued.position());
    assertEquals(List.of(a.id()), holdersAfter(table.release(c.token(), L2).changes()));
    assertEquals(List.of(b.id()), holdersAfter(table.release(a.token(), L1).changes()));
    assertEquals(List.of(b.id()), holdersAfter(table.release(a.token(), L2).changes()));
  }

  @Test
  void acquire_whenTheRequestWouldQueueBehindAWaiterThatWaitsForIt_isRefused() {
    Client a = open();
    Client b = open();
    Client c = open();
    a.grant(table, L1, EXCLUSIVE);
    c.grant(table, L2, EXCLUSIVE);
    queue(b, L2, EXCLUSIVE);
    queue(b, L1, SHARED);

    // a would queue behind b in L2's line, and b waits for a's L1.
    LockTableException refused = deadlock(a, L2, SHARED);

    assertEquals(List.of(a.id(), L2.value(), b.id(), L1.value(), a.id()), cycleOf(refused));
  }

  // ---------------------------------------------------------------- what a refusal leaves

  @Test
  void acquire_whenRefusedAsDeadlock_changesNothingAndTheSessionKeepsItsHolds() {
    Client a = open();
    Client b = open();
    Grant a1 = a.grant(table, L1, EXCLUSIVE);
    Grant a3 = a.grant(table, L3, SHARED);
    b.grant(table, L2, EXCLUSIVE);
    Queued bWaits = queue(b, L1, EXCLUSIVE);
    long revision = table.revision();
    LockList before = table.list("");
    SessionSnapshot aBefore = table.session(a.id()).orElseThrow();

    deadlock(a, L2, EXCLUSIVE);

    assertEquals(revision, table.revision(), "no event, no revision");
    assertEquals(before, table.list(""), "no waiter, no holder changed");
    assertEquals(1, table.waiterCount());
    assertEquals(List.of(L1, L3), aBefore.locks());
    assertEquals(aBefore.locks(), table.session(a.id()).orElseThrow().locks());
    assertTrue(table.fencingValid(L1, a1.fencingToken()));
    assertTrue(table.fencingValid(L3, a3.fencingToken()));
    // The next change follows straight on: the refusal used no revision.
    Changes released = table.release(a.token(), L1).changes();
    assertEquals(
        List.of(EventKind.RELEASED, EventKind.ACQUIRED),
        released.events().stream().map(LockEvent::kind).toList());
    assertEquals(revision + 1, released.events().get(0).revision());
    assertEquals(bWaits.waiterId(), released.waitsEnded().get(0).waiterId());
  }

  @Test
  void acquire_withZeroWait_whenWaitingWouldCloseACycle_conflictsInsteadOfDeadlock() {
    Client a = open();
    Client b = open();
    a.grant(table, L1, EXCLUSIVE);
    b.grant(table, L2, EXCLUSIVE);
    queue(b, L1, EXCLUSIVE);
    long revision = table.revision();

    Outcome<AcquireResult> tryOnce = a.acquire(table, L2, EXCLUSIVE, ZERO);

    Conflict conflict = assertInstanceOf(Conflict.class, tryOnce.result());
    assertEquals(List.of(b.id()), sessions(conflict.view().holders()));
    assertEquals(List.of(), tryOnce.changes().events());
    assertEquals(revision, table.revision());
  }

  @Test
  void acquire_whenOneSessionOfTheWouldBeCycleReleases_acceptsTheSameWait() {
    Client a = open();
    Client b = open();
    Client c = open();
    a.grant(table, L1, EXCLUSIVE);
    b.grant(table, L2, EXCLUSIVE);
    c.grant(table, L3, EXCLUSIVE);
    queue(a, L2, EXCLUSIVE);
    queue(b, L3, EXCLUSIVE);
    deadlock(c, L1, EXCLUSIVE);

    List<Grant> toB = grantedIn(table.release(c.token(), L3).changes());
    Outcome<AcquireResult> again = c.acquire(table, L1, EXCLUSIVE, WAIT);

    assertEquals(List.of(b.id()), toB.stream().map(Grant::session).toList());
    Queued queued = assertInstanceOf(Queued.class, again.result());
    assertEquals(1, queued.position());
    assertEquals(
        List.of(EventKind.QUEUED), again.changes().events().stream().map(LockEvent::kind).toList());
    assertEquals(List.of(new WaiterView(c.id(), "exclusive", START)), table.view(L1).waiters());
    // And it is no deadlock: the chain unwinds to c.
    assertEquals(List.of(a.id()), holdersAfter(table.release(b.token(), L2).changes()));
    assertEquals(List.of(c.id()), holdersAfter(table.release(a.token(), L1).changes()));
  }

  @Test
  void acquire_whenAWaitOfTheWouldBeCycleRunsOut_acceptsTheSameWait() {
    Client a = open();
    Client b = open();
    a.grant(table, L1, EXCLUSIVE);
    b.grant(table, L2, EXCLUSIVE);
    assertInstanceOf(Queued.class, b.acquire(table, L1, EXCLUSIVE, Duration.ofSeconds(3)).result());
    deadlock(a, L2, EXCLUSIVE);

    clock.advance(Duration.ofSeconds(3));
    assertEquals(1, table.expireDue().changes().waitsEnded().size());

    assertInstanceOf(Queued.class, a.acquire(table, L2, EXCLUSIVE, WAIT).result());
    deadlock(b, L1, EXCLUSIVE);
  }

  // ---------------------------------------------------------------- helpers

  private Client open() {
    return Client.open(table, TTL, ZERO);
  }

  /** A wait that must be queued (no deadlock), with an event saying so. */
  private Queued queue(Client client, LockName name, LockMode mode) {
    Outcome<AcquireResult> outcome = client.acquire(table, name, mode, WAIT);
    Queued queued = assertInstanceOf(Queued.class, outcome.result());
    assertEquals(
        List.of(EventKind.QUEUED),
        outcome.changes().events().stream().map(LockEvent::kind).toList());
    return queued;
  }

  /** A wait that must be refused as a deadlock, leaving no trace in revision or queues. */
  private LockTableException deadlock(Client client, LockName name, LockMode mode) {
    long revision = table.revision();
    int waiters = table.waiterCount();
    List<WaiterView> line = table.view(name).waiters();
    LockTableException refused =
        assertThrows(LockTableException.class, () -> client.acquire(table, name, mode, WAIT));
    assertEquals(ProblemType.DEADLOCK, refused.type(), refused.getMessage());
    assertEquals(revision, table.revision());
    assertEquals(waiters, table.waiterCount());
    assertEquals(line, table.view(name).waiters());
    return refused;
  }

  private static List<String> cycleOf(LockTableException refused) {
    return refused.cycle().orElseThrow(() -> new AssertionError("no cycle in " + refused));
  }

  private static List<Grant> grantedIn(Changes changes) {
    return changes.waitsEnded().stream()
        .filter(WaitGranted.class::isInstance)
        .map(ended -> ((WaitGranted) ended).grant())
        .toList();
  }

  private static List<String> holdersAfter(Changes changes) {
    return grantedIn(changes).stream().map(Grant::session).toList();
  }

  private static List<String> sessions(List<?> holdersOrWaiters) {
    return holdersOrWaiters.stream()
        .map(x -> x instanceof HolderView h ? h.session() : ((WaiterView) x).session())
        .toList();
  }
}
