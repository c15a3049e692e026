package dev.lockstep.lock.table;

import static dev.lockstep.api.LockMode.EXCLUSIVE;
import static dev.lockstep.api.LockMode.SHARED;
import static java.time.Duration.ZERO;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.HolderView;
import dev.lockstep.api.LockEvent;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.api.ProblemType;
import dev.lockstep.api.WaiterView;
import dev.lockstep.lock.session.SessionToken;
import dev.lockstep.lock.session.SessionTokenIssuer;
import dev.lockstep.lock.table.AcquireResult.Conflict;
import dev.lockstep.lock.table.AcquireResult.Granted;
import dev.lockstep.lock.table.AcquireResult.Queued;
import dev.lockstep.lock.table.WaitEnded.WaitGranted;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The lock table's rules, one case each, driven by a fake clock. Every test builds its own table
 * (JUnit makes a new instance per test), so the cases share nothing and run in any order.
 *
 * <p>The owner of the table calls {@link LockTable#expireDue()} before each operation and on its
 * timer; the tests do the same after every clock move, so they hold whether or not an operation
 * also reaps on its own.
 */
class LockTableTest {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration TTL = Duration.ofSeconds(10);
  private static final LockName JOBS_A = new LockName("jobs/a");
  private static final LockName JOBS_B = new LockName("jobs/b");

  private final MutableClock clock = new MutableClock(START);
  private LockTable table = newTable(TableLimits.defaults(), 1);

  // ---------------------------------------------------------------- exclusive and shared

  @Test
  void acquire_whenFree_grantsExclusive() {
    Client a = open();

    Outcome<AcquireResult> outcome = a.acquire(table, JOBS_A, EXCLUSIVE, ZERO);

    Granted granted = assertInstanceOf(Granted.class, outcome.result());
    assertFalse(granted.repeated());
    Grant grant = granted.grant();
    assertEquals(JOBS_A, grant.lock());
    assertEquals(a.id(), grant.session());
    assertEquals(EXCLUSIVE, grant.mode());
    assertEquals(a.owner(), grant.owner());
    assertEquals(START, grant.acquiredAt());
    assertEquals(List.of(grant), outcome.changes().grantsAdded());
    LockView view = table.view(JOBS_A);
    assertEquals(LockView.HELD, view.state());
    assertEquals("exclusive", view.mode());
    assertEquals(
        List.of(new HolderView(a.id(), a.owner(), grant.fencingToken(), START)), view.holders());
    assertEquals(List.of(), view.waiters());
  }

  @Test
  void acquire_whenHeldInSameMode_returnsSameGrantRepeated() {
    Client a = open();
    Grant first = a.grant(table, JOBS_A, EXCLUSIVE);
    long revision = table.revision();
    clock.advance(Duration.ofSeconds(1));

    Outcome<AcquireResult> retry = a.acquire(table, JOBS_A, EXCLUSIVE, Duration.ofSeconds(5));

    Granted granted = assertInstanceOf(Granted.class, retry.result());
    assertTrue(granted.repeated());
    assertEquals(first, granted.grant(), "same fencing token, same acquiredAt");
    assertEquals(List.of(), retry.changes().events());
    assertEquals(List.of(), retry.changes().grantsAdded());
    assertEquals(revision, table.revision());
  }

  @Test
  void acquire_whenHeldInOtherMode_conflicts() {
    Client a = open();
    Client b = open();
    Grant exclusive = a.grant(table, JOBS_A, EXCLUSIVE);
    b.grant(table, JOBS_B, SHARED);

    Conflict sharedWhileExclusive =
        assertInstanceOf(Conflict.class, a.acquire(table, JOBS_A, SHARED, ZERO).result());
    Conflict exclusiveWhileShared =
        assertInstanceOf(
            Conflict.class, b.acquire(table, JOBS_B, EXCLUSIVE, Duration.ofSeconds(5)).result());

    assertEquals(List.of(a.id()), sessions(sharedWhileExclusive.view().holders()));
    assertEquals(List.of(b.id()), sessions(exclusiveWhileShared.view().holders()));
    assertEquals(List.of(), table.view(JOBS_B).waiters(), "an upgrade is refused, not queued");
    assertTrue(table.fencingValid(JOBS_A, exclusive.fencingToken()));
  }

  @Test
  void acquire_withZeroWait_whenHeldByOther_conflictsWithHoldersAndWaiters() {
    Client a = open();
    Client b = open();
    Client c = open();
    Grant held = a.grant(table, JOBS_A, EXCLUSIVE);
    queue(b, JOBS_A, SHARED, Duration.ofSeconds(5));
    long revision = table.revision();

    Outcome<AcquireResult> tryOnce = c.acquire(table, JOBS_A, EXCLUSIVE, ZERO);

    Conflict conflict = assertInstanceOf(Conflict.class, tryOnce.result());
    assertEquals(
        List.of(new HolderView(a.id(), a.owner(), held.fencingToken(), START)),
        conflict.view().holders());
    assertEquals(List.of(new WaiterView(b.id(), "shared", START)), conflict.view().waiters());
    assertEquals(List.of(), tryOnce.changes().events(), "a try-once leaves no trace");
    assertEquals(revision, table.revision());
    assertEquals(List.of(b.id()), sessions(table.view(JOBS_A).waiters()));
  }

  @Test
  void acquire_sharedWhenHeldShared_sharesTheLock() {
    Client a = open();
    Client b = open();
    Client c = open();

    Grant ga = a.grant(table, JOBS_A, SHARED);
    Grant gb = b.grant(table, JOBS_A, SHARED);
    Grant gc = c.grant(table, JOBS_A, SHARED);

    LockView view = table.view(JOBS_A);
    assertEquals("shared", view.mode());
    assertEquals(List.of(a.id(), b.id(), c.id()), sessions(view.holders()));
    assertTrue(ga.fencingToken() < gb.fencingToken() && gb.fencingToken() < gc.fencingToken());
    assertTrue(table.fencingValid(JOBS_A, ga.fencingToken()));
    assertTrue(table.fencingValid(JOBS_A, gc.fencingToken()));
  }

  @Test
  void acquire_sharedBehindQueuedExclusive_waits() {
    Client reader = open();
    Client writer = open();
    Client lateReader = open();
    reader.grant(table, JOBS_A, SHARED);
    queue(writer, JOBS_A, EXCLUSIVE, Duration.ofSeconds(5));

    Conflict tryOnce =
        assertInstanceOf(Conflict.class, lateReader.acquire(table, JOBS_A, SHARED, ZERO).result());
    Queued queued =
        assertInstanceOf(
            Queued.class,
            lateReader.acquire(table, JOBS_A, SHARED, Duration.ofSeconds(5)).result());

    assertEquals(List.of(writer.id()), sessions(tryOnce.view().waiters()));
    assertEquals(2, queued.position(), "no writer starvation: the reader queues behind the writer");
    assertEquals(List.of(reader.id()), sessions(table.view(JOBS_A).holders()));
    assertEquals(List.of(writer.id(), lateReader.id()), sessions(table.view(JOBS_A).waiters()));
  }

  // ---------------------------------------------------------------- the queue

  @Test
  void release_whenWaitersQueued_grantsHeadsInFifoOrder() {
    Client a = open();
    Client b = open();
    Client c = open();
    Client d = open();
    a.grant(table, JOBS_A, EXCLUSIVE);
    long wb = queue(b, JOBS_A, EXCLUSIVE, Duration.ofSeconds(5));
    long wc = queue(c, JOBS_A, EXCLUSIVE, Duration.ofSeconds(5));
    long wd = queue(d, JOBS_A, EXCLUSIVE, Duration.ofSeconds(5));

    Changes first = table.release(a.token(), JOBS_A).changes();
    assertEquals(List.of(wb), grantedWaiters(first));
    assertEquals(List.of(b.id()), sessions(table.view(JOBS_A).holders()));
    assertEquals(List.of(c.id(), d.id()), sessions(table.view(JOBS_A).waiters()));

    Changes second = table.release(b.token(), JOBS_A).changes();
    assertEquals(List.of(wc), grantedWaiters(second));

    Changes third = table.release(c.token(), JOBS_A).changes();
    assertEquals(List.of(wd), grantedWaiters(third));
    assertEquals(List.of(), table.view(JOBS_A).waiters());
  }

  @Test
  void release_whenSharedHeadsQueued_grantsEveryLeadingSharedHeadAtOnce() {
    Client writer = open();
    Client r1 = open();
    Client r2 = open();
    Client writer2 = open();
    Client r3 = open();
    writer.grant(table, JOBS_A, EXCLUSIVE);
    long w1 = queue(r1, JOBS_A, SHARED, Duration.ofSeconds(5));
    long w2 = queue(r2, JOBS_A, SHARED, Duration.ofSeconds(5));
    long w3 = queue(writer2, JOBS_A, EXCLUSIVE, Duration.ofSeconds(5));
    long w4 = queue(r3, JOBS_A, SHARED, Duration.ofSeconds(5));

    Changes released = table.release(writer.token(), JOBS_A).changes();

    assertEquals(List.of(w1, w2), grantedWaiters(released), "both readers, in queue order");
    assertEquals(List.of(r1.id(), r2.id()), sessions(table.view(JOBS_A).holders()));
    assertEquals(List.of(writer2.id(), r3.id()), sessions(table.view(JOBS_A).waiters()));

    assertEquals(List.of(), grantedWaiters(table.release(r1.token(), JOBS_A).changes()));
    assertEquals(List.of(w3), grantedWaiters(table.release(r2.token(), JOBS_A).changes()));
    assertEquals(List.of(w4), grantedWaiters(table.release(writer2.token(), JOBS_A).changes()));
  }

  @Test
  void cancelWait_whenQueued_removesWaiterAndLetsTheNextOneThrough() {
    Client a = open();
    Client b = open();
    Client c = open();
    a.grant(table, JOBS_A, EXCLUSIVE);
    long wb = queue(b, JOBS_A, EXCLUSIVE, Duration.ofSeconds(5));
    long wc = queue(c, JOBS_A, EXCLUSIVE, Duration.ofSeconds(5));

    Outcome<Boolean> cancelled = table.cancelWait(wb);

    assertTrue(cancelled.result());
    assertEquals(List.of(EventKind.DEQUEUED), kinds(cancelled.changes()));
    assertEquals(b.id(), cancelled.changes().events().get(0).session());
    assertEquals(List.of(c.id()), sessions(table.view(JOBS_A).waiters()));
    assertFalse(table.cancelWait(wb).result(), "a second cancel finds nothing");
    assertEquals(List.of(wc), grantedWaiters(table.release(a.token(), JOBS_A).changes()));
  }

  @Test
  void cancelWait_whenAlreadyGranted_returnsFalseAndKeepsTheGrant() {
    Client a = open();
    Client b = open();
    a.grant(table, JOBS_A, EXCLUSIVE);
    long wb = queue(b, JOBS_A, EXCLUSIVE, Duration.ofSeconds(5));
    assertEquals(List.of(wb), grantedWaiters(table.release(a.token(), JOBS_A).changes()));

    Outcome<Boolean> late = table.cancelWait(wb);

    assertFalse(late.result());
    assertEquals(List.of(), late.changes().events());
    assertEquals(List.of(b.id()), sessions(table.view(JOBS_A).holders()));
  }

  @Test
  void acquire_retriedWhileWaiting_keepsPlaceAndWaiterId() {
    Client a = open();
    Client b = open();
    Client c = open();
    a.grant(table, JOBS_A, EXCLUSIVE);
    long wb = queue(b, JOBS_A, EXCLUSIVE, Duration.ofSeconds(2));
    queue(c, JOBS_A, EXCLUSIVE, Duration.ofSeconds(10));
    advanceAndExpire(Duration.ofMillis(1500));

    Outcome<AcquireResult> retry = b.acquire(table, JOBS_A, EXCLUSIVE, Duration.ofSeconds(2));

    assertEquals(new Queued(wb, 1), retry.result());
    assertEquals(List.of(), retry.changes().events(), "same place in line: nothing to announce");
    assertEquals(List.of(b.id(), c.id()), sessions(table.view(JOBS_A).waiters()));
    // The retry restarted the wait: the first deadline (2 s) passes without refusing it.
    Changes sweep = advanceAndExpire(Duration.ofMillis(1000));
    assertEquals(List.of(), refusedWaiters(sweep));
    assertEquals(List.of(wb), grantedWaiters(table.release(a.token(), JOBS_A).changes()));
  }

  @Test
  void acquire_retriedWhileWaitingInOtherModeOrWithoutWait_conflictsAndKeepsTheWait() {
    Client a = open();
    Client b = open();
    a.grant(table, JOBS_A, EXCLUSIVE);
    long wb = queue(b, JOBS_A, EXCLUSIVE, Duration.ofSeconds(5));

    assertInstanceOf(
        Conflict.class, b.acquire(table, JOBS_A, SHARED, Duration.ofSeconds(5)).result());
    assertInstanceOf(Conflict.class, b.acquire(table, JOBS_A, EXCLUSIVE, ZERO).result());

    assertEquals(List.of(b.id()), sessions(table.view(JOBS_A).waiters()));
    assertEquals(List.of(wb), grantedWaiters(table.release(a.token(), JOBS_A).changes()));
  }

  // ---------------------------------------------------------------- fencing and revisions

  @Test
  void fencingTokens_strictlyIncreaseAcrossLocksAndReleases() {
    Client a = open();
    Client b = open();
    List<Long> tokens = new ArrayList<>();

    tokens.add(a.grant(table, JOBS_A, EXCLUSIVE).fencingToken());
    tokens.add(b.grant(table, JOBS_B, SHARED).fencingToken());
    tokens.add(a.grant(table, JOBS_B, SHARED).fencingToken());
    table.release(a.token(), JOBS_A);
    tokens.add(b.grant(table, JOBS_A, EXCLUSIVE).fencingToken());
    table.release(b.token(), JOBS_A);
    tokens.add(a.grant(table, JOBS_A, EXCLUSIVE).fencingToken());

    for (int i = 1; i < tokens.size(); i++) {
      assertTrue(tokens.get(i - 1) < tokens.get(i), "tokens " + tokens);
    }
  }

  @Test
  void revision_isTheCounter_andEventsCarryItInOrder() {
    Client a = open();
    Client b = open();
    assertEquals(0, table.revision());

    Outcome<AcquireResult> acquired = a.acquire(table, JOBS_A, EXCLUSIVE, ZERO);
    Grant ga = assertInstanceOf(Granted.class, acquired.result()).grant();
    assertRevisionsFollow(0, acquired.changes());
    LockEvent event = acquired.changes().events().get(0);
    assertEquals(EventKind.ACQUIRED, event.kind());
    assertEquals(ga.fencingToken(), event.revision());
    assertEquals(Long.valueOf(ga.fencingToken()), event.fencingToken());
    assertEquals(ga.fencingToken(), table.revision());

    long before = table.revision();
    Outcome<AcquireResult> queued = b.acquire(table, JOBS_A, EXCLUSIVE, Duration.ofSeconds(5));
    assertEquals(List.of(EventKind.QUEUED), kinds(queued.changes()));
    assertRevisionsFollow(before, queued.changes());

    before = table.revision();
    Outcome<Grant> released = table.release(a.token(), JOBS_A);
    assertEquals(List.of(EventKind.RELEASED, EventKind.ACQUIRED), kinds(released.changes()));
    assertRevisionsFollow(before, released.changes());
    LockEvent releasedEvent = released.changes().events().get(0);
    assertEquals(Long.valueOf(ga.fencingToken()), releasedEvent.fencingToken());
    Grant gb = grant(released.changes().waitsEnded().get(0));
    assertEquals(released.changes().events().get(1).revision(), gb.fencingToken());
    assertEquals(table.revision(), released.changes().counter());
  }

  @Test
  void fencingValid_onlyForTheCurrentGrantsToken() {
    Client a = open();
    Client b = open();
    Grant first = a.grant(table, JOBS_A, EXCLUSIVE);
    assertTrue(table.fencingValid(JOBS_A, first.fencingToken()));
    assertFalse(table.fencingValid(JOBS_A, first.fencingToken() + 1));
    assertFalse(table.fencingValid(JOBS_B, first.fencingToken()), "the token of another lock");

    table.release(a.token(), JOBS_A);
    assertFalse(table.fencingValid(JOBS_A, first.fencingToken()), "released");

    Grant second = b.grant(table, JOBS_A, EXCLUSIVE);
    assertTrue(table.fencingValid(JOBS_A, second.fencingToken()));
    assertFalse(table.fencingValid(JOBS_A, first.fencingToken()), "an older grant's token");
  }

  // ---------------------------------------------------------------- refusals

  @Test
  void release_whenNotHeld_throwsNotHeld() {
    Client a = open();
    Client b = open();

    LockTableException never =
        refused(ProblemType.NOT_HELD, () -> table.release(a.token(), JOBS_A));
    assertEquals(JOBS_A.value(), never.view().orElseThrow().name());

    b.grant(table, JOBS_A, EXCLUSIVE);
    LockTableException others =
        refused(ProblemType.NOT_HELD, () -> table.release(a.token(), JOBS_A));
    assertEquals(List.of(b.id()), sessions(others.view().orElseThrow().holders()));

    table.release(b.token(), JOBS_A);
    refused(ProblemType.NOT_HELD, () -> table.release(b.token(), JOBS_A));
  }

  @Test
  void acquire_withMissingOrGarbageToken_isUnauthorized() {
    Client a = open();
    for (String bearer : Arrays.asList(null, "", "garbage", ".x", "x.", "a.b.c", "nosuch.secret")) {
      refused(ProblemType.UNAUTHORIZED, () -> table.acquire(bearer, JOBS_A, EXCLUSIVE, null, ZERO));
      refused(ProblemType.UNAUTHORIZED, () -> table.release(bearer, JOBS_A));
      refused(ProblemType.UNAUTHORIZED, () -> table.keepAlive(a.id(), bearer));
      refused(ProblemType.UNAUTHORIZED, () -> table.closeSession(a.id(), bearer));
    }
  }

  @Test
  void keepAliveAndClose_withWrongSecret_areUnauthorized() {
    Client a = open();
    String wrongSecret = a.id() + ".not-the-secret";

    refused(ProblemType.UNAUTHORIZED, () -> table.keepAlive(a.id(), wrongSecret));
    refused(ProblemType.UNAUTHORIZED, () -> table.closeSession(a.id(), wrongSecret));
    refused(
        ProblemType.UNAUTHORIZED, () -> table.acquire(wrongSecret, JOBS_A, EXCLUSIVE, null, ZERO));
    assertTrue(table.session(a.id()).isPresent());
  }

  @Test
  void keepAliveAndClose_withAnotherSessionsToken_areForbidden() {
    Client a = open();
    Client b = open();

    refused(ProblemType.FORBIDDEN, () -> table.keepAlive(a.id(), b.token()));
    refused(ProblemType.FORBIDDEN, () -> table.closeSession(a.id(), b.token()));
    assertTrue(table.session(a.id()).isPresent());
  }

  @Test
  void keepAliveAndClose_ofUnknownSession_areNotFound() {
    Client a = open();
    Client gone = open();
    table.closeSession(gone.id(), gone.token());

    refused(ProblemType.NOT_FOUND, () -> table.keepAlive("no-such-session", a.token()));
    refused(ProblemType.NOT_FOUND, () -> table.closeSession("no-such-session", a.token()));
    refused(ProblemType.NOT_FOUND, () -> table.keepAlive(gone.id(), gone.token()));
  }

  @Test
  void openSession_withTtlOutsideBounds_isBadRequest() {
    TableLimits limits = TableLimits.defaults();

    refused(
        ProblemType.BAD_REQUEST,
        () -> table.openSession(null, limits.minTtl().minusMillis(1), null));
    refused(
        ProblemType.BAD_REQUEST,
        () -> table.openSession(null, limits.maxTtl().plusMillis(1), null));
    refused(ProblemType.BAD_REQUEST, () -> table.openSession(null, Duration.ofSeconds(-1), null));
    refused(
        ProblemType.BAD_REQUEST,
        () -> table.openSession(null, null, limits.maxLockDelay().plusMillis(1)));

    assertEquals(
        limits.minTtl(), table.openSession(null, limits.minTtl(), null).result().session().ttl());
    assertEquals(
        limits.maxTtl(), table.openSession(null, limits.maxTtl(), null).result().session().ttl());
    SessionSnapshot byDefault = table.openSession(null, null, null).result().session();
    assertEquals(limits.defaultTtl(), byDefault.ttl());
    assertEquals(START.plus(limits.defaultTtl()), byDefault.expiresAt());
    assertEquals(ZERO, byDefault.lockDelay());
  }

  @Test
  void acquire_withWaitOutsideBounds_isBadRequest() {
    Client a = open();
    Client b = open();
    a.grant(table, JOBS_A, EXCLUSIVE);
    Duration maxWait = TableLimits.defaults().maxWait();

    refused(
        ProblemType.BAD_REQUEST, () -> b.acquire(table, JOBS_A, EXCLUSIVE, Duration.ofMillis(-1)));
    refused(
        ProblemType.BAD_REQUEST, () -> b.acquire(table, JOBS_A, EXCLUSIVE, maxWait.plusMillis(1)));

    assertInstanceOf(Queued.class, b.acquire(table, JOBS_A, EXCLUSIVE, maxWait).result());
  }

  @Test
  void acquire_pastMaxWaitersPerLock_isTooMany() {
    table = newTable(limits(100, 2), 1);
    Client holder = open();
    Client w1 = open();
    Client w2 = open();
    Client w3 = open();
    holder.grant(table, JOBS_A, EXCLUSIVE);
    queue(w1, JOBS_A, EXCLUSIVE, Duration.ofSeconds(5));
    queue(w2, JOBS_A, EXCLUSIVE, Duration.ofSeconds(5));

    LockTableException tooMany =
        refused(
            ProblemType.TOO_MANY,
            () -> w3.acquire(table, JOBS_A, EXCLUSIVE, Duration.ofSeconds(5)));

    assertEquals(List.of(w1.id(), w2.id()), sessions(tooMany.view().orElseThrow().waiters()));
    assertInstanceOf(
        Granted.class, w3.acquire(table, JOBS_B, EXCLUSIVE, ZERO).result(), "per lock");
  }

  @Test
  void openSession_pastMaxSessions_isTooMany() {
    table = newTable(limits(2, 100), 1);
    Client a = open();
    open();

    refused(ProblemType.TOO_MANY, this::open);

    table.closeSession(a.id(), a.token());
    open();
    assertEquals(2, table.sessionCount());
  }

  // ---------------------------------------------------------------- time

  @Test
  void expireDue_whenWaitRunsOut_refusesWaiterAndGrantsTheNext() {
    Client reader = open();
    Client writer = open();
    Client lateReader = open();
    reader.grant(table, JOBS_A, SHARED);
    long writerWait = queue(writer, JOBS_A, EXCLUSIVE, Duration.ofSeconds(2));
    long readerWait = queue(lateReader, JOBS_A, SHARED, Duration.ofSeconds(10));

    assertEquals(List.of(), advanceAndExpire(Duration.ofMillis(1999)).waitsEnded());
    Changes timeout = advanceAndExpire(Duration.ofMillis(1));

    assertEquals(List.of(writerWait), refusedWaiters(timeout));
    WaitRefused refusal = assertInstanceOf(WaitRefused.class, timeout.waitsEnded().get(0));
    assertEquals(ProblemType.CONFLICT, refusal.type());
    assertEquals(List.of(reader.id()), sessions(refusal.view().holders()));
    assertEquals(List.of(readerWait), grantedWaiters(timeout), "the reader no longer waits behind");
    assertEquals(List.of(EventKind.DEQUEUED, EventKind.ACQUIRED), kinds(timeout));
    assertEquals(writer.id(), timeout.events().get(0).session());
    assertEquals(List.of(reader.id(), lateReader.id()), sessions(table.view(JOBS_A).holders()));
    assertEquals(List.of(), table.view(JOBS_A).waiters());
  }

  @Test
  void expireDue_whenSessionExpires_releasesItsLocksDropsItsWaitsAndGrantsTheNext() {
    Client doomed = Client.open(table, Duration.ofSeconds(5), ZERO);
    Client waiter = Client.open(table, Duration.ofSeconds(60), ZERO);
    Client other = Client.open(table, Duration.ofSeconds(60), ZERO);
    Grant doomedGrant = doomed.grant(table, JOBS_A, EXCLUSIVE);
    other.grant(table, JOBS_B, EXCLUSIVE);
    long waiterWait = queue(waiter, JOBS_A, EXCLUSIVE, Duration.ofSeconds(30));
    long doomedWait = queue(doomed, JOBS_B, EXCLUSIVE, Duration.ofSeconds(30));

    assertTrue(advanceAndExpire(Duration.ofMillis(4999)).events().isEmpty());
    Changes expiry = advanceAndExpire(Duration.ofMillis(1));

    assertEquals(List.of(doomed.id()), expiry.sessionsEnded());
    assertEquals(List.of(doomedGrant), expiry.grantsRemoved());
    assertEquals(
        List.of(
            EventKind.EXPIRED, EventKind.DEQUEUED, EventKind.SESSION_EXPIRED, EventKind.ACQUIRED),
        kinds(expiry));
    LockEvent expired = expiry.events().get(0);
    assertEquals(JOBS_A.value(), expired.lock());
    assertEquals(Long.valueOf(doomedGrant.fencingToken()), expired.fencingToken());
    assertEquals(List.of(doomedWait), refusedWaiters(expiry));
    assertEquals(List.of(waiterWait), grantedWaiters(expiry));
    assertEquals(List.of(waiter.id()), sessions(table.view(JOBS_A).holders()));
    assertEquals(List.of(), table.view(JOBS_B).waiters());
    assertTrue(table.session(doomed.id()).isEmpty());
    refused(ProblemType.UNAUTHORIZED, () -> doomed.acquire(table, JOBS_A, EXCLUSIVE, ZERO));
  }

  @Test
  void lockDelay_whenHolderExpires_blocksTheLockUntilTheDelayPasses() {
    Client holder = Client.open(table, Duration.ofSeconds(5), Duration.ofSeconds(3));
    Client waiter = Client.open(table, Duration.ofSeconds(60), ZERO);
    Client passerBy = Client.open(table, Duration.ofSeconds(60), ZERO);
    holder.grant(table, JOBS_A, EXCLUSIVE);
    long wait = queue(waiter, JOBS_A, EXCLUSIVE, Duration.ofSeconds(30));

    Changes expiry = advanceAndExpire(Duration.ofSeconds(5));
    assertEquals(List.of(holder.id()), expiry.sessionsEnded());
    assertEquals(List.of(), grantedWaiters(expiry), "lock-delay: nobody gets it yet");
    assertEquals(LockView.FREE, table.view(JOBS_A).state());
    assertEquals(List.of(waiter.id()), sessions(table.view(JOBS_A).waiters()));
    assertInstanceOf(Conflict.class, passerBy.acquire(table, JOBS_A, EXCLUSIVE, ZERO).result());
    assertEquals(List.of(), advanceAndExpire(Duration.ofMillis(2999)).waitsEnded());

    Changes delayOver = advanceAndExpire(Duration.ofMillis(1));

    assertEquals(List.of(wait), grantedWaiters(delayOver));
    assertEquals(List.of(waiter.id()), sessions(table.view(JOBS_A).holders()));
  }

  @Test
  void lockDelay_isShownInTheViewAndListedWhenAskedFor_untilItPasses() {
    Client holder = Client.open(table, Duration.ofSeconds(5), Duration.ofSeconds(3));
    holder.grant(table, JOBS_A, EXCLUSIVE);
    assertNull(table.view(JOBS_A).blockedUntil(), "no delay while held");

    advanceAndExpire(Duration.ofSeconds(5));

    Instant until = START.plusSeconds(8);
    assertEquals(until, table.view(JOBS_A).blockedUntil());
    assertEquals(List.of(), table.list("jobs/").locks(), "by default only held or queued locks");
    List<LockView> delayed = table.list("jobs/", true).locks();
    assertEquals(List.of("jobs/a"), names(delayed));
    assertEquals(until, delayed.get(0).blockedUntil());
    assertEquals(LockView.FREE, delayed.get(0).state());

    advanceAndExpire(Duration.ofSeconds(3));

    assertNull(table.view(JOBS_A).blockedUntil());
    assertEquals(List.of(), table.list("jobs/", true).locks());
  }

  @Test
  void lockDelay_whenDelayPassesWithoutWaiters_freesTheLockForANewcomer() {
    Client holder = Client.open(table, Duration.ofSeconds(5), Duration.ofSeconds(3));
    Client newcomer = Client.open(table, Duration.ofSeconds(60), ZERO);
    holder.grant(table, JOBS_A, EXCLUSIVE);

    advanceAndExpire(Duration.ofSeconds(5));
    assertInstanceOf(Conflict.class, newcomer.acquire(table, JOBS_A, EXCLUSIVE, ZERO).result());
    advanceAndExpire(Duration.ofSeconds(3));

    assertInstanceOf(Granted.class, newcomer.acquire(table, JOBS_A, EXCLUSIVE, ZERO).result());
  }

  @Test
  void closeSession_releasesLocksWithReleasedEventsAndNoLockDelay() {
    Client closing = Client.open(table, TTL, Duration.ofSeconds(30));
    Client waiter = open();
    closing.grant(table, JOBS_A, EXCLUSIVE);
    closing.grant(table, JOBS_B, SHARED);
    long wait = queue(waiter, JOBS_A, EXCLUSIVE, Duration.ofSeconds(5));

    Changes closed = table.closeSession(closing.id(), closing.token()).changes();

    assertEquals(List.of(closing.id()), closed.sessionsEnded());
    assertEquals(
        List.of(EventKind.RELEASED, EventKind.RELEASED, EventKind.ACQUIRED), kinds(closed));
    assertEquals(List.of(wait), grantedWaiters(closed), "a clean close owes nobody a lock-delay");
    assertEquals(LockView.FREE, table.view(JOBS_B).state());
    assertTrue(table.session(closing.id()).isEmpty());
    refused(ProblemType.UNAUTHORIZED, () -> closing.acquire(table, JOBS_A, EXCLUSIVE, ZERO));
  }

  @Test
  void keepAlive_extendsExpiryByTheTtl() {
    Client a = Client.open(table, Duration.ofSeconds(5), ZERO);
    a.grant(table, JOBS_A, EXCLUSIVE);
    advanceAndExpire(Duration.ofSeconds(4));

    SessionSnapshot kept = table.keepAlive(a.id(), a.token()).result();

    assertEquals(START.plusSeconds(9), kept.expiresAt());
    assertTrue(advanceAndExpire(Duration.ofMillis(4999)).sessionsEnded().isEmpty());
    assertEquals(List.of(a.id()), sessions(table.view(JOBS_A).holders()));
    assertEquals(List.of(a.id()), advanceAndExpire(Duration.ofMillis(1)).sessionsEnded());
  }

  /**
   * The owner reaps on a fixed tick and before each call, so one {@code expireDue()} often takes in
   * several deadlines that fell since the last one. They must take effect in time order: the waiter
   * gave up at 3 s, two seconds before the holder's session ran out at 5 s, so it must not be
   * handed the lock when the sweep comes at 6 s.
   */
  @Test
  void expireDue_whenLate_doesNotGrantAWaiterWhoseWaitRanOutFirst() {
    Client holder = Client.open(table, Duration.ofSeconds(5), ZERO);
    Client waiter = Client.open(table, Duration.ofSeconds(60), ZERO);
    holder.grant(table, JOBS_A, EXCLUSIVE);
    long wait = queue(waiter, JOBS_A, EXCLUSIVE, Duration.ofSeconds(3));

    Changes lateSweep = advanceAndExpire(Duration.ofSeconds(6));

    assertEquals(List.of(wait), refusedWaiters(lateSweep), "its wait ran out at 3 s");
    assertEquals(List.of(), grantedWaiters(lateSweep));
    assertEquals(List.of(), table.view(JOBS_A).holders());
  }

  /**
   * The same late sweep with a lock-delay between: the holder expires at 5 s and blocks the lock
   * until 8 s, the waiter gives up at 6 s. A sweep at 9 s must replay that: the waiter was never
   * eligible, so it is refused, and the lock is free afterwards.
   */
  @Test
  void expireDue_whenLate_doesNotGrantAWaiterWhoseWaitRanOutDuringTheLockDelay() {
    Client holder = Client.open(table, Duration.ofSeconds(5), Duration.ofSeconds(3));
    Client waiter = Client.open(table, Duration.ofSeconds(60), ZERO);
    holder.grant(table, JOBS_A, EXCLUSIVE);
    long wait = queue(waiter, JOBS_A, EXCLUSIVE, Duration.ofSeconds(6));

    Changes lateSweep = advanceAndExpire(Duration.ofSeconds(9));

    assertEquals(List.of(wait), refusedWaiters(lateSweep), "its wait ran out at 6 s, in the delay");
    assertEquals(List.of(), grantedWaiters(lateSweep));
    assertEquals(List.of(), table.view(JOBS_A).holders());
  }

  // ---------------------------------------------------------------- reads

  @Test
  void list_returnsOnlyHeldOrQueuedLocksUnderThePrefix_sortedByName() {
    Client a = open();
    Client b = open();
    Client delayed = Client.open(table, Duration.ofSeconds(5), Duration.ofSeconds(60));
    a.grant(table, new LockName("jobs/b"), EXCLUSIVE);
    a.grant(table, new LockName("jobs/a"), SHARED);
    a.grant(table, new LockName("jobsx"), EXCLUSIVE);
    a.grant(table, new LockName("other/a"), EXCLUSIVE);
    a.grant(table, new LockName("jobs/c"), EXCLUSIVE);
    table.release(a.token(), new LockName("jobs/c"));
    a.grant(table, new LockName("jobs/d/1"), EXCLUSIVE);
    queue(b, new LockName("jobs/d/1"), EXCLUSIVE, Duration.ofMinutes(1));
    delayed.grant(table, new LockName("jobs/e"), EXCLUSIVE);
    advanceAndExpire(Duration.ofSeconds(5)); // jobs/e: only a lock-delay left, nothing to list

    assertEquals(List.of("jobs/a", "jobs/b", "jobs/d/1"), names(table.list("jobs/").locks()));
    assertEquals(
        List.of("jobs/a", "jobs/b", "jobs/d/1", "jobsx", "other/a"), names(table.list("").locks()));
    assertEquals(names(table.list("").locks()), names(table.list(null).locks()));
    assertEquals(List.of(), table.list("nothing/").locks());
    assertEquals(table.revision(), table.list("jobs/").revision());
    LockView queued = table.list("jobs/d").locks().get(0);
    assertEquals(List.of(b.id()), sessions(queued.waiters()));
  }

  // ---------------------------------------------------------------- tokens and restore

  @Test
  void sessionSnapshot_holdsOnlyTheSha256OfTheSecret() {
    OpenedSession opened = table.openSession("worker-7", null, null).result();
    SessionToken token = opened.token();
    byte[] expectedHash = sha256(token.secret());

    assertArrayEquals(expectedHash, opened.session().tokenHash());
    SessionSnapshot looked = table.session(token.sessionId()).orElseThrow();
    assertArrayEquals(expectedHash, looked.tokenHash());
    assertFalse(Arrays.equals(token.secret().getBytes(StandardCharsets.UTF_8), looked.tokenHash()));
    assertFalse(looked.toString().contains(token.secret()));
    assertFalse(token.toString().contains(token.secret()), "a token never prints its secret");
    assertEquals(token.sessionId() + "." + token.secret(), token.value());
  }

  @Test
  void restore_givesEachSessionAGracePeriodKeepsGrantsAndContinuesTheCounter() {
    Client a = Client.open(table, Duration.ofSeconds(10), ZERO);
    Client b = Client.open(table, Duration.ofSeconds(30), ZERO);
    Grant ga = a.grant(table, JOBS_A, EXCLUSIVE);
    Grant gb = b.grant(table, JOBS_B, SHARED);
    long savedCounter = table.revision();
    List<SessionSnapshot> saved =
        List.of(table.session(a.id()).orElseThrow(), table.session(b.id()).orElseThrow());
    clock.advance(Duration.ofMinutes(5)); // down for longer than either TTL
    Instant restartedAt = clock.instant();

    LockTable restarted = newTable(TableLimits.defaults(), 2);
    restarted.restore(savedCounter, saved, List.of(ga, gb));
    table = restarted;

    assertEquals(restartedAt.plusSeconds(10), table.session(a.id()).orElseThrow().expiresAt());
    assertEquals(restartedAt.plusSeconds(30), table.session(b.id()).orElseThrow().expiresAt());
    assertEquals(List.of(JOBS_A), table.session(a.id()).orElseThrow().locks());
    assertEquals(savedCounter, table.revision());
    assertTrue(table.fencingValid(JOBS_A, ga.fencingToken()));
    assertTrue(table.fencingValid(JOBS_B, gb.fencingToken()));
    Granted again =
        assertInstanceOf(Granted.class, a.acquire(table, JOBS_A, EXCLUSIVE, ZERO).result());
    assertTrue(again.repeated(), "the token still works: only its hash was stored");
    assertEquals(ga, again.grant());
    Grant fresh =
        Client.open(table, Duration.ofMinutes(1), ZERO)
            .grant(table, new LockName("jobs/new"), EXCLUSIVE);
    assertEquals(savedCounter + 1, fresh.fencingToken());

    assertTrue(advanceAndExpire(Duration.ofMillis(9999)).sessionsEnded().isEmpty());
    assertEquals(List.of(a.id()), advanceAndExpire(Duration.ofMillis(1)).sessionsEnded());
  }

  @Test
  void restore_continuesTheCounterAboveTheHighestGrantToken() {
    SessionToken token = new SessionToken("s1", "secret");
    SessionSnapshot session =
        new SessionSnapshot(
            "s1", "saved", TTL, ZERO, token.secretHash(), START, START.plus(TTL), List.of(JOBS_A));
    Grant saved = new Grant(JOBS_A, "s1", EXCLUSIVE, "o", 50, START);
    table.restore(10, List.of(session), List.of(saved));

    assertEquals(50, table.revision());
    Client s1 = new Client("s1", token.value());
    assertEquals(51, s1.grant(table, JOBS_B, EXCLUSIVE).fencingToken());
    assertEquals(
        saved,
        assertInstanceOf(Granted.class, s1.acquire(table, JOBS_A, EXCLUSIVE, ZERO).result())
            .grant());
  }

  @Test
  void restore_continuesTheCounterAboveTheSavedValue() {
    table.restore(100, List.of(), List.of());

    assertEquals(100, table.revision());
    assertEquals(101, open().grant(table, JOBS_A, EXCLUSIVE).fencingToken());
    assertThrows(IllegalStateException.class, () -> table.restore(0, List.of(), List.of()));
  }

  // ---------------------------------------------------------------- helpers

  private LockTable newTable(TableLimits limits, long seed) {
    return new LockTable(clock, limits, new SessionTokenIssuer(new SplittableRandom(seed)));
  }

  private static TableLimits limits(int maxSessions, int maxWaitersPerLock) {
    TableLimits d = TableLimits.defaults();
    return new TableLimits(
        d.defaultTtl(),
        d.minTtl(),
        d.maxTtl(),
        d.maxLockDelay(),
        d.maxWait(),
        maxSessions,
        maxWaitersPerLock);
  }

  private Client open() {
    return Client.open(table, TTL, ZERO);
  }

  /** Acquires a lock that must queue, and returns the waiter id. */
  private long queue(Client client, LockName name, LockMode mode, Duration wait) {
    return assertInstanceOf(Queued.class, client.acquire(table, name, mode, wait).result())
        .waiterId();
  }

  private Changes advanceAndExpire(Duration step) {
    clock.advance(step);
    return table.expireDue().changes();
  }

  private static LockTableException refused(ProblemType type, Executable call) {
    LockTableException e = assertThrows(LockTableException.class, call);
    assertEquals(type, e.type(), e.getMessage());
    return e;
  }

  private static void assertRevisionsFollow(long before, Changes changes) {
    long expected = before;
    for (LockEvent event : changes.events()) {
      assertEquals(++expected, event.revision(), "events " + changes.events());
    }
    assertEquals(expected, changes.counter());
  }

  private static Grant grant(WaitEnded ended) {
    return assertInstanceOf(WaitGranted.class, ended).grant();
  }

  private static List<Long> grantedWaiters(Changes changes) {
    return changes.waitsEnded().stream()
        .filter(WaitGranted.class::isInstance)
        .map(WaitEnded::waiterId)
        .toList();
  }

  private static List<Long> refusedWaiters(Changes changes) {
    return changes.waitsEnded().stream()
        .filter(WaitRefused.class::isInstance)
        .map(WaitEnded::waiterId)
        .toList();
  }

  private static List<EventKind> kinds(Changes changes) {
    return changes.events().stream().map(LockEvent::kind).toList();
  }

  private static List<String> sessions(List<?> holdersOrWaiters) {
    return holdersOrWaiters.stream()
        .map(x -> x instanceof HolderView h ? h.session() : ((WaiterView) x).session())
        .toList();
  }

  private static List<String> names(List<LockView> views) {
    return views.stream().map(LockView::name).toList();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
