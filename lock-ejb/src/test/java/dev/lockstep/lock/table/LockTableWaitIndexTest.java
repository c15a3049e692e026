package dev.lockstep.lock.table;

import static dev.lockstep.api.LockMode.EXCLUSIVE;
import static java.time.Duration.ZERO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.lockstep.api.HolderView;
import dev.lockstep.api.LockName;
import dev.lockstep.api.WaiterView;
import dev.lockstep.lock.session.SessionTokenIssuer;
import dev.lockstep.lock.table.AcquireResult.Queued;
import dev.lockstep.lock.table.WaitEnded.WaitGranted;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Through the table: however a wait ends (granted, withdrawn, timed out, its session closed or
 * expired), it is gone from every place at once: the lock's line, the count, the deadlines, the
 * lookup by id, and the session's own waits (so the session can queue for the lock again).
 */
class LockTableWaitIndexTest {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration TTL = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final LockName JOBS_A = new LockName("jobs/a");
  private static final LockName JOBS_B = new LockName("jobs/b");

  private final MutableClock clock = new MutableClock(START);
  private final LockTable table =
      new LockTable(clock, TableLimits.defaults(), new SessionTokenIssuer(new SplittableRandom(5)));
  private final Client holder = Client.open(table, TTL, ZERO);
  private final Client waiter = Client.open(table, TTL, ZERO);

  @Test
  void grant_takesTheWaitOutOfEveryIndex() {
    holder.grant(table, JOBS_A, EXCLUSIVE);
    long id = queue(waiter, JOBS_A, WAIT);

    Changes released = table.release(holder.token(), JOBS_A).changes();

    assertInstanceOf(WaitGranted.class, released.waitsEnded().get(0));
    assertGone(waiter, id);
    assertEquals(Optional.of(START.plus(TTL)), table.nextDeadline(), "no wait deadline is left");
    assertEquals(List.of(waiter.id()), holders(JOBS_A), "the waiter became the holder");
  }

  @Test
  void withdraw_takesTheWaitOutOfEveryIndex() {
    holder.grant(table, JOBS_A, EXCLUSIVE);
    long id = queue(waiter, JOBS_A, WAIT);

    table.withdraw(waiter.token(), JOBS_A);

    assertGone(waiter, id);
    assertEquals(Optional.of(START.plus(TTL)), table.nextDeadline());
    assertRequeues(waiter, JOBS_A, id);
  }

  @Test
  void cancelWait_takesTheWaitOutOfEveryIndex() {
    holder.grant(table, JOBS_A, EXCLUSIVE);
    long id = queue(waiter, JOBS_A, WAIT);

    assertEquals(true, table.cancelWait(id).result());

    assertGone(waiter, id);
    assertRequeues(waiter, JOBS_A, id);
  }

  @Test
  void waitRunningOut_takesTheWaitOutOfEveryIndex() {
    holder.grant(table, JOBS_A, EXCLUSIVE);
    long id = queue(waiter, JOBS_A, WAIT);

    clock.advance(WAIT);
    Changes expired = table.expireDue().changes();

    assertEquals(List.of(id), refused(expired));
    assertGone(waiter, id);
    assertRequeues(waiter, JOBS_A, id);
  }

  @Test
  void sessionClosed_takesAllItsWaitsOutOfEveryIndex() {
    holder.grant(table, JOBS_A, EXCLUSIVE);
    holder.grant(table, JOBS_B, EXCLUSIVE);
    long onA = queue(waiter, JOBS_A, WAIT);
    long onB = queue(waiter, JOBS_B, Duration.ofSeconds(10));

    Changes closed = table.closeSession(waiter.id(), waiter.token()).changes();

    assertEquals(List.of(onA, onB), refused(closed));
    assertGone(waiter, onA);
    assertGone(waiter, onB);
    assertEquals(Optional.of(START.plus(TTL)), table.nextDeadline(), "only the holder's expiry");
  }

  @Test
  void sessionExpired_takesAllItsWaitsOutOfEveryIndex() {
    Client shortLived = Client.open(table, Duration.ofSeconds(5), ZERO);
    holder.grant(table, JOBS_A, EXCLUSIVE);
    long id = queue(shortLived, JOBS_A, WAIT);

    clock.advance(Duration.ofSeconds(5));
    Changes expired = table.expireDue().changes();

    assertEquals(List.of(id), refused(expired));
    assertGone(shortLived, id);
    assertEquals(Optional.of(START.plus(TTL)), table.nextDeadline());
  }

  @Test
  void retry_movesTheWaitsDeadlineAndKeepsItsPlace() {
    holder.grant(table, JOBS_A, EXCLUSIVE);
    long first = queue(waiter, JOBS_A, Duration.ofSeconds(5));
    Client behind = Client.open(table, TTL, ZERO);
    queue(behind, JOBS_A, WAIT);

    Queued retried =
        assertInstanceOf(
            Queued.class,
            waiter.acquire(table, JOBS_A, EXCLUSIVE, Duration.ofSeconds(50)).result());
    clock.advance(Duration.ofSeconds(5));
    Changes swept = table.expireDue().changes();

    assertEquals(first, retried.waiterId());
    assertEquals(1, retried.position());
    assertEquals(List.of(), swept.waitsEnded(), "the old deadline is no longer indexed");
    assertEquals(2, table.waiterCount());
    assertEquals(Optional.of(START.plus(WAIT)), table.nextDeadline(), "behind's wait is next");
  }

  // ---------------------------------------------------------------- helpers

  private long queue(Client client, LockName name, Duration wait) {
    return assertInstanceOf(Queued.class, client.acquire(table, name, EXCLUSIVE, wait).result())
        .waiterId();
  }

  /** No trace of the client's wait: not cancellable, in no lock's line, not counted. */
  private void assertGone(Client client, long waiterId) {
    assertFalse(table.cancelWait(waiterId).result(), "no wait " + waiterId + " to cancel");
    for (LockName name : List.of(JOBS_A, JOBS_B)) {
      List<WaiterView> line = table.view(name).waiters();
      assertEquals(List.of(), line.stream().filter(w -> w.session().equals(client.id())).toList());
    }
    int inLines = table.view(JOBS_A).waiters().size() + table.view(JOBS_B).waiters().size();
    assertEquals(inLines, table.waiterCount(), "the count is what stands in the lines");
  }

  /** The session no longer waits for the lock, so asking again queues it anew. */
  private void assertRequeues(Client client, LockName name, long oldId) {
    long again = queue(client, name, WAIT);
    assertNotEquals(oldId, again, "a new request, not the old one taken over");
  }

  private List<String> holders(LockName name) {
    return table.view(name).holders().stream().map(HolderView::session).toList();
  }

  private static List<Long> refused(Changes changes) {
    return changes.waitsEnded().stream()
        .filter(WaitRefused.class::isInstance)
        .map(WaitEnded::waiterId)
        .toList();
  }
}
