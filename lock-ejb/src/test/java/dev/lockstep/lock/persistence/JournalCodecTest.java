package dev.lockstep.lock.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.lock.persistence.JpaLockStoreContract.MovableClock;
import dev.lockstep.lock.session.SessionTokenIssuer;
import dev.lockstep.lock.table.Changes;
import dev.lockstep.lock.table.LockTable;
import dev.lockstep.lock.table.OpenedSession;
import dev.lockstep.lock.table.Outcome;
import dev.lockstep.lock.table.SessionSnapshot;
import dev.lockstep.lock.table.TableLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A journal record's bytes give back the net changes they were made from, field by field. */
class JournalCodecTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00.123Z"));
  private final LockTable table =
      new LockTable(clock, TableLimits.defaults(), new SessionTokenIssuer(new SplittableRandom(3)));

  @Test
  void decode_ofAnEncodedBatch_givesBackEveryChange() {
    List<Changes> batch = new ArrayList<>();
    Outcome<OpenedSession> openNamed =
        table.openSession("nämed ✓", Duration.ofSeconds(1), Duration.ofSeconds(30));
    batch.add(openNamed.changes());
    OpenedSession named = openNamed.result();
    Outcome<OpenedSession> openUnnamed = table.openSession(null, Duration.ofMinutes(5), null);
    batch.add(openUnnamed.changes());
    OpenedSession unnamed = openUnnamed.result();
    String token = unnamed.token().value();
    batch.add(
        table
            .acquire(
                named.token().value(),
                new LockName("a/held"),
                LockMode.EXCLUSIVE,
                "owner \"q\"",
                Duration.ZERO)
            .changes());
    batch.add(
        table.acquire(token, new LockName("b"), LockMode.SHARED, null, Duration.ZERO).changes());
    batch.add(
        table.acquire(token, new LockName("c"), LockMode.SHARED, "c", Duration.ZERO).changes());
    batch.add(table.release(token, new LockName("c")).changes());
    clock.now = clock.now.plusSeconds(2);
    batch.add(table.expireDue().changes());
    NetChanges net = NetChanges.of(batch);
    assertFalse(net.delays.isEmpty(), "the expiry set a lock-delay");
    assertFalse(net.events.isEmpty());
    assertFalse(net.grantInserts.isEmpty());
    assertEquals(1, net.sessionInserts.size(), "the named session expired within the batch");

    NetChanges back = JournalCodec.decode(JournalCodec.encode(net));

    assertEquals(net.counterBefore, back.counterBefore);
    assertEquals(net.counter, back.counter);
    assertEquals(net.grantDeletes, back.grantDeletes);
    assertEquals(net.sessionDeletes, back.sessionDeletes);
    assertEquals(net.grantInserts, back.grantInserts);
    assertEquals(net.events, back.events);
    assertEquals(net.delays, back.delays);
    assertEquals(net.sessionInserts.keySet(), back.sessionInserts.keySet());
    for (SessionSnapshot s : net.sessionInserts.values()) {
      SessionSnapshot b = back.sessionInserts.get(s.id());
      assertEquals(s.name(), b.name());
      assertEquals(s.ttl(), b.ttl());
      assertEquals(s.lockDelay(), b.lockDelay());
      assertArrayEquals(s.tokenHash(), b.tokenHash());
      assertEquals(s.createdAt(), b.createdAt());
      assertEquals(s.expiresAt(), b.expiresAt());
    }
  }

  @Test
  void decode_ofAnUnknownFormat_refusesIt() {
    byte[] record = JournalCodec.encode(new NetChanges());
    record[0] = 9;
    assertThrows(IllegalStateException.class, () -> JournalCodec.decode(record));
  }
}
