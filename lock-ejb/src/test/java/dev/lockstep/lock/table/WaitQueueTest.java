package dev.lockstep.lock.table;

import static dev.lockstep.api.LockMode.EXCLUSIVE;
import static dev.lockstep.api.LockMode.SHARED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A lock's line on its own: first come first served, and every change keeps the line, the table's
 * index of waits (by id and by deadline) and the session's own waits in step.
 */
class WaitQueueTest {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
  private static final LockName JOBS_A = new LockName("jobs/a");
  private static final LockName JOBS_B = new LockName("jobs/b");

  private final WaitIndex index = new WaitIndex();
  private final WaitQueue lineA = new WaitQueue(index);
  private final WaitQueue lineB = new WaitQueue(index);
  private final Session s1 = session("s1");
  private final Session s2 = session("s2");
  private final Session s3 = session("s3");

  @Test
  void add_keepsArrivalOrder() {
    Waiter first = waiter(JOBS_A, s1, SHARED, 30);
    Waiter second = waiter(JOBS_A, s2, EXCLUSIVE, 10);
    Waiter third = waiter(JOBS_A, s3, SHARED, 20);

    List.of(first, second, third).forEach(lineA::add);

    assertEquals(List.of(first, second, third), inLine(lineA), "order of arrival, not deadline");
    assertEquals(Optional.of(first), lineA.head());
    assertEquals(1, lineA.positionOf(first));
    assertEquals(2, lineA.positionOf(second));
    assertEquals(3, lineA.positionOf(third));
    assertEquals(3, lineA.size());
  }

  @Test
  void add_indexesTheWaiterByIdDeadlineAndSession() {
    Waiter late = waiter(JOBS_A, s1, SHARED, 30);
    Waiter soon = waiter(JOBS_B, s1, EXCLUSIVE, 5);

    lineA.add(late);
    lineB.add(soon);

    assertEquals(Optional.of(late), index.find(late.id));
    assertEquals(Optional.of(soon), index.find(soon.id));
    assertEquals(Optional.of(soon), index.firstDue(), "the index spans every lock's line");
    assertEquals(2, index.size());
    assertEquals(Map.of(JOBS_A, late, JOBS_B, soon), s1.waits);
  }

  @Test
  void add_whenTheSessionAlreadyWaitsForTheLock_isRefusedAndChangesNothing() {
    Waiter first = waiter(JOBS_A, s1, SHARED, 30);
    lineA.add(first);
    Waiter again = waiter(JOBS_A, s1, SHARED, 10);

    assertThrows(IllegalStateException.class, () -> lineA.add(again));

    assertEquals(List.of(first), inLine(lineA));
    assertEquals(Optional.empty(), index.find(again.id));
    assertEquals(Optional.of(first), index.firstDue());
    assertSame(first, s1.waits.get(JOBS_A));
  }

  @Test
  void remove_fromTheMiddle_keepsTheOthersInOrderAndDropsItEverywhere() {
    Waiter first = waiter(JOBS_A, s1, SHARED, 30);
    Waiter middle = waiter(JOBS_A, s2, EXCLUSIVE, 5);
    Waiter last = waiter(JOBS_A, s3, SHARED, 20);
    List.of(first, middle, last).forEach(lineA::add);

    lineA.remove(middle);

    assertEquals(List.of(first, last), inLine(lineA));
    assertEquals(2, lineA.positionOf(last));
    assertEquals(Optional.empty(), index.find(middle.id));
    assertEquals(Optional.of(last), index.firstDue(), "the removed wait no longer falls due");
    assertEquals(Map.of(), s2.waits);
    assertEquals(2, index.size());
  }

  @Test
  void remove_theHead_makesTheNextOneHead() {
    Waiter first = waiter(JOBS_A, s1, EXCLUSIVE, 30);
    Waiter second = waiter(JOBS_A, s2, SHARED, 30);
    lineA.add(first);
    lineA.add(second);

    lineA.remove(first);

    assertEquals(Optional.of(second), lineA.head());
    assertEquals(1, lineA.positionOf(second));
    assertEquals(Map.of(), s1.waits);
  }

  @Test
  void remove_theLastOne_leavesLineIndexAndSessionEmpty() {
    Waiter only = waiter(JOBS_A, s1, EXCLUSIVE, 30);
    lineA.add(only);

    lineA.remove(only);

    assertTrue(lineA.isEmpty());
    assertEquals(Optional.empty(), lineA.head());
    assertEquals(0, index.size());
    assertEquals(Optional.empty(), index.firstDue());
    assertEquals(Map.of(), s1.waits);
  }

  @Test
  void remove_whenNotInThisLine_isRefusedAndChangesNothing() {
    Waiter inB = waiter(JOBS_B, s1, EXCLUSIVE, 30);
    lineB.add(inB);

    assertThrows(IllegalStateException.class, () -> lineA.remove(inB));

    assertEquals(List.of(inB), inLine(lineB));
    assertEquals(Optional.of(inB), index.find(inB.id));
    assertSame(inB, s1.waits.get(JOBS_B));
  }

  @Test
  void retake_keepsThePlaceAndMovesTheDeadlineInTheIndex() {
    Waiter first = waiter(JOBS_A, s1, EXCLUSIVE, 5);
    Waiter second = waiter(JOBS_A, s2, EXCLUSIVE, 10);
    lineA.add(first);
    lineA.add(second);

    lineA.retake(first, "retried", "r2", START.plus(Duration.ofSeconds(60)));

    assertEquals(List.of(first, second), inLine(lineA), "a retry keeps its place in line");
    assertEquals("retried", first.owner);
    assertEquals(START.plus(Duration.ofSeconds(60)), first.deadline);
    assertEquals(Optional.of(second), index.firstDue(), "the index follows the new deadline");
  }

  @Test
  void retake_whenNotInThisLine_isRefused() {
    Waiter inB = waiter(JOBS_B, s1, EXCLUSIVE, 5);
    lineB.add(inB);

    assertThrows(
        IllegalStateException.class, () -> lineA.retake(inB, "x", null, START.plusSeconds(60)));

    assertEquals(START.plusSeconds(5), inB.deadline);
  }

  @Test
  void iterator_isReadOnly() {
    lineA.add(waiter(JOBS_A, s1, EXCLUSIVE, 5));
    Iterator<Waiter> line = lineA.iterator();
    line.next();

    assertThrows(UnsupportedOperationException.class, line::remove);
    assertEquals(1, lineA.size());
  }

  @Test
  void firstDue_onEqualDeadlines_isTheOlderRequest() {
    Waiter older = waiter(JOBS_B, s1, EXCLUSIVE, 10);
    Waiter newer = waiter(JOBS_A, s2, EXCLUSIVE, 10);
    lineB.add(older);
    lineA.add(newer);

    assertEquals(Optional.of(older), index.firstDue());
  }

  // ---------------------------------------------------------------- helpers

  private Waiter waiter(LockName lock, Session session, LockMode mode, int waitSeconds) {
    return new Waiter(
        index.nextId(),
        lock,
        session,
        mode,
        "owner-of-" + session.id,
        START,
        START.plusSeconds(waitSeconds));
  }

  private static Session session(String id) {
    return new Session(
        id,
        "test",
        Duration.ofSeconds(10),
        Duration.ZERO,
        new byte[32],
        START,
        START.plusSeconds(10));
  }

  private static List<Waiter> inLine(WaitQueue queue) {
    List<Waiter> line = new ArrayList<>();
    queue.forEach(line::add);
    return line;
  }
}
