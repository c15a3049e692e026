package dev.lockstep.lock.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.lock.session.SessionTokenIssuer;
import dev.lockstep.lock.table.AcquireResult;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.LockTable;
import dev.lockstep.lock.table.OpenedSession;
import dev.lockstep.lock.table.Outcome;
import dev.lockstep.lock.table.SessionSnapshot;
import dev.lockstep.lock.table.TableLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JPA store on a real database, without a container: what is applied is what a restart loads.
 * Run on H2 (the default) and on PostgreSQL by the subclasses.
 */
abstract class JpaLockStoreContract {
  private static final LockName JOBS_A = new LockName("jobs/a");
  private static final LockName JOBS_B = new LockName("jobs/b");

  @TempDir Path dataDir;

  /** Where the store under test keeps its data; a fresh, empty database for each test. */
  abstract StoreSettings settings();

  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private LockTable newTable() {
    return new LockTable(
        clock, TableLimits.defaults(), new SessionTokenIssuer(new SplittableRandom(7)));
  }

  private static <T> T stored(JpaLockStore store, Outcome<T> outcome) {
    store.apply(outcome.changes());
    return outcome.result();
  }

  @Test
  void load_afterReopen_returnsSessionsGrantsAndCounter() {
    Grant grantA;
    Grant grantB;
    OpenedSession alice;
    try (JpaLockStore store = JpaLockStore.open(settings())) {
      LockTable table = newTable();
      alice =
          stored(store, table.openSession("alice", Duration.ofSeconds(30), Duration.ofSeconds(2)));
      OpenedSession bob = stored(store, table.openSession("bob", null, null));
      grantA =
          ((AcquireResult.Granted)
                  stored(
                      store,
                      table.acquire(
                          alice.token().value(), JOBS_A, LockMode.EXCLUSIVE, "a:1", Duration.ZERO)))
              .grant();
      grantB =
          ((AcquireResult.Granted)
                  stored(
                      store,
                      table.acquire(
                          bob.token().value(), JOBS_B, LockMode.SHARED, null, Duration.ZERO)))
              .grant();
      stored(
          store,
          table.acquire(alice.token().value(), JOBS_B, LockMode.SHARED, "a:2", Duration.ZERO));
      stored(store, table.release(alice.token().value(), JOBS_B));
      stored(store, table.closeSession(bob.session().id(), bob.token().value()));
    }

    try (JpaLockStore reopened = JpaLockStore.open(settings())) {
      StoredState state = reopened.load();
      assertEquals(1, state.sessions().size(), "bob was closed");
      SessionSnapshot session = state.sessions().get(0);
      assertEquals(alice.session().id(), session.id());
      assertEquals("alice", session.name());
      assertEquals(Duration.ofSeconds(30), session.ttl());
      assertEquals(Duration.ofSeconds(2), session.lockDelay());
      assertArrayEquals(alice.token().secretHash(), session.tokenHash());
      assertEquals(
          java.util.List.of(grantA), state.grants(), "only alice's grant of jobs/a is left");
      assertTrue(state.counter() > grantB.fencingToken(), "the counter moved past every event");

      LockTable restored = newTable();
      restored.restore(state.counter(), state.sessions(), state.grants());
      assertEquals(grantA.fencingToken(), restored.view(JOBS_A).holders().get(0).fencingToken());
      Grant next =
          ((AcquireResult.Granted)
                  restored
                      .acquire(
                          alice.token().value(), JOBS_B, LockMode.EXCLUSIVE, null, Duration.ZERO)
                      .result())
              .grant();
      assertTrue(next.fencingToken() > state.counter(), "no token is handed out twice");
    }
  }

  /**
   * A group commit stores several operations' changes in one transaction. Within one batch: a grant
   * made and released, a held grant released and made again with a new token, a session opened and
   * closed. The restart must load exactly what one-by-one commits would have left.
   */
  @Test
  void applyBatch_ofOperationsThatUndoEachOther_storesOnlyTheirNetEffect() {
    LockTable table = newTable();
    OpenedSession alice;
    Grant regranted;
    java.util.List<dev.lockstep.lock.table.Changes> batch = new java.util.ArrayList<>();
    try (JpaLockStore store = JpaLockStore.open(settings())) {
      alice = stored(store, table.openSession("alice", Duration.ofSeconds(30), null));
      String token = alice.token().value();
      stored(store, table.acquire(token, JOBS_B, LockMode.EXCLUSIVE, "before", Duration.ZERO));

      Outcome<AcquireResult> quick =
          table.acquire(token, JOBS_A, LockMode.EXCLUSIVE, null, Duration.ZERO);
      batch.add(quick.changes());
      batch.add(table.release(token, JOBS_A).changes());
      batch.add(table.release(token, JOBS_B).changes());
      Outcome<AcquireResult> again =
          table.acquire(token, JOBS_B, LockMode.SHARED, "again", Duration.ZERO);
      batch.add(again.changes());
      regranted = ((AcquireResult.Granted) again.result()).grant();
      Outcome<OpenedSession> brief = table.openSession("brief", null, null);
      batch.add(brief.changes());
      OpenedSession b = brief.result();
      batch.add(
          table.acquire(b.token().value(), JOBS_A, LockMode.SHARED, null, Duration.ZERO).changes());
      batch.add(table.closeSession(b.session().id(), b.token().value()).changes());
      store.apply(batch);
    }

    try (JpaLockStore reopened = JpaLockStore.open(settings())) {
      StoredState state = reopened.load();
      assertEquals(
          java.util.List.of(alice.session().id()),
          state.sessions().stream().map(SessionSnapshot::id).toList(),
          "brief opened and closed");
      assertEquals(
          java.util.List.of(regranted), state.grants(), "only the re-made grant of jobs/b");
      assertEquals(table.revision(), state.counter(), "the counter of the batch's last operation");
      long[] revisions =
          state.events().stream().mapToLong(dev.lockstep.api.LockEvent::revision).toArray();
      long eventsInBatch = batch.stream().mapToLong(c -> c.events().size()).sum();
      assertTrue(eventsInBatch >= 6, "the batch made events: " + eventsInBatch);
      assertEquals(table.revision(), revisions[revisions.length - 1], "every event is kept");
      for (int i = 1; i < revisions.length; i++) {
        assertTrue(revisions[i] > revisions[i - 1], "events in revision order");
      }
    }
  }

  @Test
  void load_afterAHolderExpiredWithLockDelay_keepsTheLockDelayed() {
    Clock start = Clock.fixed(Instant.now(), ZoneOffset.UTC);
    MovableClock clock = new MovableClock(start.instant());
    try (JpaLockStore store = JpaLockStore.open(settings())) {
      LockTable table = new LockTable(clock, TableLimits.defaults(), new SessionTokenIssuer());
      OpenedSession holder =
          stored(store, table.openSession("h", Duration.ofSeconds(1), Duration.ofMinutes(1)));
      stored(
          store,
          table.acquire(holder.token().value(), JOBS_A, LockMode.EXCLUSIVE, null, Duration.ZERO));
      clock.now = clock.now.plusSeconds(2);
      stored(store, table.expireDue());
    }
    try (JpaLockStore reopened = JpaLockStore.open(settings())) {
      StoredState state = reopened.load();
      LockTable restored = new LockTable(clock, TableLimits.defaults(), new SessionTokenIssuer());
      restored.restore(state.counter(), state.sessions(), state.grants(), state.delays());
      OpenedSession other = restored.openSession("o", Duration.ofHours(1), null).result();
      Object result =
          restored
              .acquire(other.token().value(), JOBS_A, LockMode.EXCLUSIVE, null, Duration.ZERO)
              .result();
      assertTrue(
          result instanceof AcquireResult.Conflict, "still inside the lock-delay: " + result);
      clock.now = clock.now.plus(Duration.ofMinutes(1));
      restored.expireDue();
      assertTrue(
          restored
                  .acquire(other.token().value(), JOBS_A, LockMode.EXCLUSIVE, null, Duration.ZERO)
                  .result()
              instanceof AcquireResult.Granted,
          "after the lock-delay");
    }
  }

  /** A clock the test moves by hand. */
  static final class MovableClock extends Clock {
    Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void database_neverHoldsTheSessionToken() throws Exception {
    String token;
    try (JpaLockStore store = JpaLockStore.open(settings())) {
      token = stored(store, newTable().openSession("secretive", null, null)).token().value();
    }
    String secret = token.substring(token.indexOf('.') + 1);
    StringBuilder everyCell = new StringBuilder();
    try (Connection c =
            DriverManager.getConnection(
                settings().effectiveUrl(),
                settings().user().orElse(null),
                settings().password().orElse(null));
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("select * from LOCKSTEP_SESSION")) {
      while (rows.next()) {
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
          everyCell.append(rows.getString(i)).append('|');
        }
      }
    }
    assertTrue(everyCell.toString().contains("secretive"), "the row was read");
    assertFalse(everyCell.toString().contains(secret), "the secret is stored only as a hash");
    assertNoFileHolds(secret);
  }

  /** For a database in files of the test's own: no file holds the secret. */
  void assertNoFileHolds(String secret) throws Exception {
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String raw = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains(secret), "no file of the database holds the secret: " + file);
      }
    }
  }
}
