package dev.lockstep.lock.table;

import static dev.lockstep.api.LockMode.EXCLUSIVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.session.SessionTokenIssuer;
import dev.lockstep.lock.table.AcquireResult.Conflict;
import dev.lockstep.lock.table.AcquireResult.Granted;
import dev.lockstep.lock.table.AcquireResult.Queued;
import dev.lockstep.lock.table.WaitEnded.WaitGranted;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A request cancelled by its name ends up holding nothing whenever the server reads it: before the
 * cancel (queued: withdrawn; granted: released) or after it (refused). What a client relies on when
 * it gives up on a request a frozen server may read only after it thaws.
 */
class CancelRequestTest {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration TTL = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final LockName JOBS = new LockName("jobs/a");

  private final LockTable table =
      new LockTable(
          new MutableClock(START),
          TableLimits.defaults(),
          new SessionTokenIssuer(new SplittableRandom(1)));
  private final Client holder = Client.open(table, TTL, Duration.ZERO);
  private final Client contender = Client.open(table, TTL, Duration.ZERO);

  @Test
  void cancelBeforeItArrives_refusesTheRequestWhenItComes() {
    holder.grant(table, JOBS, EXCLUSIVE);
    assertTrue(table.cancelRequest(contender.token(), JOBS, "r1").changes().events().isEmpty());
    table.release(holder.token(), JOBS);

    Conflict refused = assertInstanceOf(Conflict.class, acquire(contender, "r1", WAIT).result());

    assertTrue(refused.reason().contains("cancelled"), refused.reason());
    assertEquals(LockView.FREE, table.view(JOBS).state(), "the late request took nothing");
    assertInstanceOf(Granted.class, acquire(contender, "r2", Duration.ZERO).result());
  }

  @Test
  void cancelWhileQueued_withdrawsIt() {
    holder.grant(table, JOBS, EXCLUSIVE);
    long waiter =
        assertInstanceOf(Queued.class, acquire(contender, "r1", WAIT).result()).waiterId();

    Outcome<Void> cancel = table.cancelRequest(contender.token(), JOBS, "r1");

    WaitRefused ended = assertInstanceOf(WaitRefused.class, cancel.changes().waitsEnded().get(0));
    assertEquals(waiter, ended.waiterId());
    table.release(holder.token(), JOBS);
    assertEquals(LockView.FREE, table.view(JOBS).state());
  }

  @Test
  void cancelAfterAGrantFromTheLine_releasesThatGrant() {
    holder.grant(table, JOBS, EXCLUSIVE);
    acquire(contender, "r1", WAIT);
    WaitGranted granted =
        assertInstanceOf(
            WaitGranted.class, table.release(holder.token(), JOBS).changes().waitsEnded().get(0));
    assertEquals(contender.id(), granted.grant().session());

    table.cancelRequest(contender.token(), JOBS, "r1");

    assertEquals(LockView.FREE, table.view(JOBS).state(), "the unheard grant was released");
  }

  @Test
  void cancelAfterAGrantAtOnce_releasesIt_andIsIdempotent() {
    acquire(contender, "r1", Duration.ZERO);

    table.cancelRequest(contender.token(), JOBS, "r1");
    table.cancelRequest(contender.token(), JOBS, "r1");

    assertEquals(LockView.FREE, table.view(JOBS).state());
  }

  @Test
  void cancel_leavesALaterRequestOfTheSameSessionAlone() {
    Grant first = grantOf(acquire(contender, "r1", Duration.ZERO));
    table.release(contender.token(), JOBS);
    Grant second = grantOf(acquire(contender, "r2", Duration.ZERO));

    table.cancelRequest(contender.token(), JOBS, "r1");

    assertTrue(second.fencingToken() > first.fencingToken());
    assertEquals(contender.id(), table.view(JOBS).holders().get(0).session(), "r2 still holds");
  }

  @Test
  void cancelOfASupersededRequest_leavesThePlaceToItsSuccessor() {
    holder.grant(table, JOBS, EXCLUSIVE);
    acquire(contender, "r1", WAIT);
    acquire(contender, "r2", WAIT); // the re-send takes the place over

    table.cancelRequest(contender.token(), JOBS, "r1");

    assertEquals(1, table.view(JOBS).waiters().size(), "r2 keeps its place");
    table.release(holder.token(), JOBS);
    assertEquals(contender.id(), table.view(JOBS).holders().get(0).session());
  }

  @Test
  void cancel_needsTheSessionAndABoundedName() {
    LockTableException unknown =
        assertThrows(LockTableException.class, () -> table.cancelRequest("nope", JOBS, "r1"));
    assertEquals(ProblemType.UNAUTHORIZED, unknown.type());
    LockTableException tooLong =
        assertThrows(
            LockTableException.class,
            () -> table.cancelRequest(contender.token(), JOBS, "r".repeat(65)));
    assertEquals(ProblemType.BAD_REQUEST, tooLong.type());
  }

  @Test
  void theLogForgetsTheOldestBeyondItsCapacity() {
    table.cancelRequest(contender.token(), JOBS, "old");
    for (int i = 0; i < RequestLog.CAPACITY; i++) {
      table.cancelRequest(contender.token(), JOBS, "newer-" + i);
    }

    assertInstanceOf(Granted.class, acquire(contender, "old", Duration.ZERO).result());
    table.release(contender.token(), JOBS);
    String newest = "newer-" + (RequestLog.CAPACITY - 1);
    assertInstanceOf(Conflict.class, acquire(contender, newest, Duration.ZERO).result());
  }

  private Outcome<AcquireResult> acquire(Client client, String request, Duration wait) {
    return table.acquire(client.token(), JOBS, EXCLUSIVE, client.owner(), wait, request);
  }

  private static Grant grantOf(Outcome<AcquireResult> outcome) {
    return assertInstanceOf(Granted.class, outcome.result()).grant();
  }
}
