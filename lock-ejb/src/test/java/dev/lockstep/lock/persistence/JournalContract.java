package dev.lockstep.lock.persistence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockEvent;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.lock.session.SessionTokenIssuer;
import dev.lockstep.lock.table.LockTable;
import dev.lockstep.lock.table.OpenedSession;
import dev.lockstep.lock.table.Outcome;
import dev.lockstep.lock.table.SessionSnapshot;
import dev.lockstep.lock.table.TableLimits;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The journal of {@link JpaLockStore} on a real database: one record per commit, replayed at start
 * when no checkpoint wrote it, written into the tables by checkpoints off the commit path and
 * trimmed by them, and left as it is by a checkpoint that fails. Run on H2 and PostgreSQL by the
 * subclasses.
 */
abstract class JournalContract {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final int EVENTS_KEPT = 1_000;

  /** A fresh, empty database: a new one at each call. */
  abstract StoreSettings freshDatabase() throws Exception;

  private static LockTable newTable() {
    return new LockTable(
        CLOCK, TableLimits.defaults(), new SessionTokenIssuer(new SplittableRandom(7)));
  }

  private static BiConsumer<EntityManager, NetChanges> tables() {
    return new NormalizedTables(EVENTS_KEPT)::write;
  }

  private static JpaLockStore open(
      StoreSettings settings, int checkpointEvery, BiConsumer<EntityManager, NetChanges> tables) {
    JpaLockStore store = JpaLockStore.open(settings, EVENTS_KEPT, checkpointEvery, tables);
    store.load();
    return store;
  }

  /**
   * A session, locks taken and released, a session closed: {@code commits} commits, each its own
   * batch, so each its own journal record; an even number leaves one grant held. Returns the table.
   */
  private static LockTable commit(JpaLockStore store, int commits) {
    LockTable table = newTable();
    OpenedSession alice = stored(store, table.openSession("alice", Duration.ofMinutes(5), null));
    String token = alice.token().value();
    for (int i = 1; i < commits - 2; i++) {
      LockName lock = new LockName("jobs/" + (i % 3));
      if (i % 2 == 1) {
        stored(store, table.acquire(token, lock, LockMode.EXCLUSIVE, "w" + i, Duration.ZERO));
      } else {
        stored(store, table.release(token, new LockName("jobs/" + ((i - 1) % 3))));
      }
    }
    OpenedSession brief = stored(store, table.openSession("brief", null, null));
    return commitLast(store, table, brief);
  }

  private static LockTable commitLast(JpaLockStore store, LockTable table, OpenedSession brief) {
    stored(store, table.closeSession(brief.session().id(), brief.token().value()));
    return table;
  }

  private static <T> T stored(JpaLockStore store, Outcome<T> outcome) {
    store.apply(outcome.changes());
    return outcome.result();
  }

  /** What a load restores, in a form that compares by value. */
  private static List<String> restored(StoredState state) {
    List<String> rows = new ArrayList<>();
    rows.add("counter " + state.counter() + " forgotten " + state.forgottenUpTo());
    for (SessionSnapshot s : state.sessions()) {
      rows.add("session " + s.id() + " " + s.name() + " " + s.expiresAt());
    }
    state.grants().forEach(g -> rows.add("grant " + g));
    state.events().stream().map(LockEvent::toString).forEach(rows::add);
    state.delays().forEach(d -> rows.add("delay " + d));
    return rows;
  }

  /** Every row of the tables a checkpoint writes, read with plain JDBC once the store is closed. */
  private static List<String> tableRows(StoreSettings settings) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(
                settings.effectiveUrl(),
                settings.user().orElse(null),
                settings.password().orElse(null));
        Statement s = c.createStatement()) {
      for (String table :
          List.of(
              StoreTables.SESSION,
              StoreTables.GRANT,
              StoreTables.COUNTER,
              StoreTables.EVENT,
              StoreTables.LOCK_DELAY)) {
        try (ResultSet r = s.executeQuery("select * from " + table + " order by 1, 2")) {
          int columns = r.getMetaData().getColumnCount();
          while (r.next()) {
            StringBuilder row = new StringBuilder(table);
            for (int i = 1; i <= columns; i++) {
              row.append('|').append(r.getString(i));
            }
            rows.add(row.toString());
          }
        }
      }
    }
    return rows;
  }

  private static long count(StoreSettings settings, String table) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                settings.effectiveUrl(),
                settings.user().orElse(null),
                settings.password().orElse(null));
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select count(*) from " + table)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void apply_appendsOneJournalRecordPerCommit_andTheTablesWaitForACheckpoint() throws Exception {
    StoreSettings settings = freshDatabase();
    try (JpaLockStore store = open(settings, Integer.MAX_VALUE, tables())) {
      commit(store, 10);
      assertEquals(10, store.journalRecords(), "one record per commit");
    }
    assertEquals(0, count(settings, StoreTables.JOURNAL), "closing checkpointed the journal");
    assertEquals(1, count(settings, StoreTables.SESSION), "alice; brief was closed");
  }

  /**
   * A crash after the append and before any checkpoint: here a checkpoint that fails, also the last
   * one of close, leaves the tables as they were, with everything only in the journal. The next
   * start replays it: it loads what the table held, and its checkpoint writes it.
   */
  @Test
  void load_afterCommitsNoCheckpointWrote_replaysTheJournal() throws Exception {
    StoreSettings settings = freshDatabase();
    LockTable table;
    AtomicBoolean failing = new AtomicBoolean(true);
    BiConsumer<EntityManager, NetChanges> failingTables =
        (em, net) -> {
          if (failing.get()) {
            throw new IllegalStateException("the checkpoint fails, as a crash would cut it");
          }
          tables().accept(em, net);
        };
    try (JpaLockStore store = open(settings, 3, failingTables)) {
      table = commit(store, 10);
      assertThrows(IllegalStateException.class, store::checkpointNow);
      assertEquals(10, store.journalRecords(), "a failed checkpoint trims nothing");
    }
    assertEquals(10, count(settings, StoreTables.JOURNAL), "the journal survived");
    assertEquals(0, count(settings, StoreTables.SESSION), "the tables never saw a commit");
    assertEquals(0, count(settings, StoreTables.EVENT), "the tables never saw a commit");

    try (JpaLockStore reopened = open(settings, 3, tables())) {
      StoredState state = reopened.load();
      assertEquals(table.revision(), state.counter(), "the counter of the last commit");
      assertEquals(List.of("alice"), state.sessions().stream().map(SessionSnapshot::name).toList());
      assertEquals(1, state.grants().size(), "the grant left held: " + state.grants());
      assertEquals(table.revision(), state.events().get(state.events().size() - 1).revision());
      assertEquals(0, state.forgottenUpTo(), "every event since the first is there to resume");
      List<String> beforeCheckpoint = restored(state);
      reopened.checkpointNow();
      assertEquals(0, reopened.journalRecords(), "the checkpoint trimmed what it wrote");
      assertEquals(beforeCheckpoint, restored(reopened.load()), "tables and journal agree");
    }
  }

  /**
   * A checkpoint whose trim a crash undid would be written again: writing the same records twice
   * leaves every table exactly as writing them once does.
   */
  @Test
  void checkpoint_writingTheJournalTwice_leavesTheTablesAsOnce() throws Exception {
    StoreSettings once = freshDatabase();
    try (JpaLockStore store = open(once, Integer.MAX_VALUE, tables())) {
      commit(store, 12);
    }
    List<String> writtenOnce = tableRows(once);

    StoreSettings twice = freshDatabase();
    BiConsumer<EntityManager, NetChanges> writeTwice =
        (em, net) -> {
          tables().accept(em, net);
          em.flush();
          em.clear();
          tables().accept(em, net);
        };
    try (JpaLockStore store = open(twice, Integer.MAX_VALUE, writeTwice)) {
      commit(store, 12);
    }
    List<String> writtenTwice = tableRows(twice);

    assertTrue(
        writtenOnce.stream().anyMatch(r -> r.startsWith(StoreTables.GRANT)), "a grant is held");
    assertTrue(
        writtenOnce.stream().filter(r -> r.startsWith(StoreTables.EVENT)).count() >= 9,
        "the events are kept: " + writtenOnce);
    assertEquals(writtenOnce, writtenTwice);
  }

  @Test
  void checkpoint_inTheBackground_shrinksTheJournal() {
    StoreSettings settings;
    try {
      settings = freshDatabase();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    try (JpaLockStore store = open(settings, 4, tables())) {
      LockTable table = commit(store, 12);
      await().atMost(Duration.ofSeconds(30)).until(() -> store.journalRecords() <= 4);
      List<String> expected = restored(store.load());
      assertEquals(table.revision(), store.load().counter());
      store.checkpointNow();
      assertEquals(0, store.journalRecords());
      assertEquals(expected, restored(store.load()), "the checkpoints lost nothing");
    }
  }

  /**
   * While a checkpoint is held up in the middle of writing the tables, commits go on and are
   * durable: the checkpoint runs on a thread of its own, and the records it has not read wait.
   */
  @Test
  void checkpoint_heldUp_doesNotHoldUpCommits() throws Exception {
    StoreSettings settings = freshDatabase();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Thread> checkpointThread = new AtomicReference<>();
    BiConsumer<EntityManager, NetChanges> heldUp =
        (em, net) -> {
          checkpointThread.compareAndSet(null, Thread.currentThread());
          entered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          tables().accept(em, net);
        };
    try (JpaLockStore store = open(settings, 2, heldUp)) {
      LockTable table = newTable();
      OpenedSession alice = stored(store, table.openSession("alice", null, null));
      stored(
          store,
          table.acquire(
              alice.token().value(), new LockName("a"), LockMode.EXCLUSIVE, null, Duration.ZERO));
      assertTrue(entered.await(30, TimeUnit.SECONDS), "the second commit started a checkpoint");
      assertTimeoutPreemptively(
          Duration.ofSeconds(60),
          () -> {
            for (int i = 0; i < 5; i++) {
              stored(
                  store,
                  table.acquire(
                      alice.token().value(),
                      new LockName("b" + i),
                      LockMode.SHARED,
                      null,
                      Duration.ZERO));
            }
          },
          "commits wait for no checkpoint");
      assertNotEquals(Thread.currentThread(), checkpointThread.get());
      assertEquals(7, store.journalRecords(), "the held-up checkpoint trimmed nothing yet");
      release.countDown();
      await().atMost(Duration.ofSeconds(30)).until(() -> store.journalRecords() <= 5);
      assertEquals(6, store.load().grants().size(), "a, b0..b4");
    }
  }
}
