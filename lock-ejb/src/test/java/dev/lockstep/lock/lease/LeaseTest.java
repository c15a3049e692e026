package dev.lockstep.lock.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.lock.table.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LeaseTest {
  private static final Duration LENGTH = Duration.ofSeconds(2);
  private static final Duration MARGIN = Duration.ofMillis(500);
  private static final Duration RENEW = Duration.ofMillis(500);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeLeaseStore store = new FakeLeaseStore(clock);

  private LeaseKeeper keeper(String server, RecordingListener listener) {
    return new LeaseKeeper(
        new Lease(server, clock, LENGTH, MARGIN),
        store,
        new LeaseSettings(server, "http://" + server + ":8080", LENGTH, RENEW, MARGIN),
        listener);
  }

  @Test
  void claim_whenNobodyHolds_becomesActiveAtEpochOne() {
    RecordingListener a = new RecordingListener();
    LeaseKeeper keeperA = keeper("a", a);

    keeperA.renew();

    assertEquals(List.of("active 1"), a.told);
    assertEquals(OptionalLong.of(1), keeperA.lease().activeEpoch());
    assertTrue(keeperA.lease().mayAnswerReads());
  }

  @Test
  void claim_whenHeldByOther_staysStandbyAndKnowsTheLeader() {
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    keeper("a", a).renew();
    LeaseKeeper keeperB = keeper("b", b);

    keeperB.renew();

    assertEquals(List.of(), b.told);
    assertFalse(keeperB.lease().mayAnswerReads());
    assertEquals("http://a:8080", keeperB.lease().lastSeen().orElseThrow().advertisedUrl().get());
  }

  @Test
  void renewal_keepsTheEpoch() {
    RecordingListener a = new RecordingListener();
    LeaseKeeper keeperA = keeper("a", a);
    keeperA.renew();
    for (int i = 0; i < 10; i++) {
      clock.advance(RENEW);
      keeperA.renew();
    }
    assertEquals(List.of("active 1"), a.told);
    assertEquals(1, store.epoch());
  }

  @Test
  void expiredLease_isTakenOver_andTheOldActiveStepsDownAtItsNextRenewal() {
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    LeaseKeeper keeperA = keeper("a", a);
    LeaseKeeper keeperB = keeper("b", b);
    keeperA.renew();
    keeperB.renew();

    clock.advance(LENGTH.minusMillis(1));
    keeperB.renew();
    assertEquals(List.of(), b.told, "not expired yet");

    clock.advance(Duration.ofMillis(1));
    keeperB.renew();
    assertEquals(List.of("active 2"), b.told);

    keeperA.renew();
    assertEquals(List.of("active 1", "down"), a.told);
    assertEquals(OptionalLong.empty(), keeperA.lease().activeEpoch());
  }

  @Test
  void deposedActive_whoseCommitIsRefused_stepsDownAtOnce() {
    RecordingListener a = new RecordingListener();
    LeaseKeeper keeperA = keeper("a", a);
    keeperA.renew();

    keeperA.commitRefused(1);

    assertEquals(List.of("active 1", "down"), a.told);
    assertFalse(keeperA.lease().mayAnswerReads());
  }

  @Test
  void commitRefusedAtAnOlderEpoch_changesNothing() {
    RecordingListener a = new RecordingListener();
    LeaseKeeper keeperA = keeper("a", a);
    keeperA.renew();
    keeperA.commitRefused(1);
    clock.advance(LENGTH);
    keeperA.renew(); // a takes the lease again, at a new epoch

    keeperA.commitRefused(1);

    assertEquals(List.of("active 1", "down", "active 2"), a.told);
  }

  @Test
  void winningAgainAfterSteppingDown_isANewEpoch_soTheTableIsLoadedAfresh() {
    RecordingListener a = new RecordingListener();
    LeaseKeeper keeperA = keeper("a", a);
    keeperA.renew();
    keeperA.commitRefused(1);

    keeperA.renew(); // a still holds the row in the database, but no longer its table

    assertEquals(List.of("active 1", "down", "active 2"), a.told);
  }

  @Test
  void reads_areAnsweredOnlyUntilSendingTimePlusLeaseMinusMargin() {
    Lease lease = new Lease("a", clock, LENGTH, MARGIN);
    Instant sentAt = lease.sending();
    clock.advance(Duration.ofSeconds(1)); // a slow database: the answer comes 1 s later
    LeaderRecord row = store.claim("a", "http://a:8080", lease.knownEpoch(), LENGTH);

    assertEquals(Lease.Change.BECAME_ACTIVE, lease.answered(sentAt, row));
    assertTrue(lease.mayAnswerReads());
    clock.advance(Duration.ofMillis(499));
    assertTrue(lease.mayAnswerReads(), "1.499 s after sending");
    clock.advance(Duration.ofMillis(1));
    assertFalse(lease.mayAnswerReads(), "1.5 s after sending: the margin begins");
  }

  @Test
  void unreachableDatabase_keepsTheEpochButReadsStopWhenTheTimeRunsOut() {
    RecordingListener a = new RecordingListener();
    LeaseKeeper keeperA = keeper("a", a);
    keeperA.renew();
    store.unreachable = true;

    clock.advance(RENEW);
    keeperA.renew();
    assertTrue(keeperA.lease().mayAnswerReads());
    clock.advance(LENGTH.minus(MARGIN).minus(RENEW));
    keeperA.renew();

    assertFalse(keeperA.lease().mayAnswerReads());
    assertEquals(OptionalLong.of(1), keeperA.lease().activeEpoch());
    assertEquals(List.of("active 1"), a.told);
  }

  @Test
  void resign_releasesTheLease_soAStandbyTakesOverWithoutWaiting() {
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    LeaseKeeper keeperA = keeper("a", a);
    LeaseKeeper keeperB = keeper("b", b);
    keeperA.renew();

    keeperA.resign();
    keeperB.renew();

    assertEquals(List.of("active 1", "down"), a.told);
    assertEquals(List.of("active 2"), b.told);
  }

  @Test
  void settings_refuseARenewalIntervalThatLeavesNoRoomForASecondTry() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new LeaseSettings("a", "http://a", LENGTH, Duration.ofMillis(1500), MARGIN));
    assertThrows(IllegalArgumentException.class, () -> new Lease("a", clock, LENGTH, LENGTH));
  }
}
