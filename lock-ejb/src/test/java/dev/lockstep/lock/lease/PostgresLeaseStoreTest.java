package dev.lockstep.lock.lease;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leader row on a real PostgreSQL, where the claims' atomicity is the database's: .ci/run
 * passes {@code lockstep.test.pg.url}; without it these tests are skipped.
 */
class PostgresLeaseStoreTest {
  private static final String URL = System.getProperty("lockstep.test.pg.url", "");
  private static final String USER = System.getProperty("lockstep.test.pg.user", "lockstep");
  private static final String PASSWORD =
      System.getProperty("lockstep.test.pg.password", "lockstep");

  private final List<JdbcLeaseStore> opened = new ArrayList<>();

  @BeforeEach
  void emptyDatabase() throws Exception {
    assumeTrue(!URL.isBlank(), "lockstep.test.pg.url is not set: no PostgreSQL to test against");
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + JdbcLeaseStore.LEADER_TABLE);
      s.execute("DROP TABLE IF EXISTS " + JdbcLeaseStore.MEMBERS_TABLE);
    }
  }

  @AfterEach
  void closeStores() {
    opened.forEach(JdbcLeaseStore::close);
  }

  private JdbcLeaseStore store() {
    JdbcLeaseStore store =
        new JdbcLeaseStore(() -> DriverManager.getConnection(URL, USER, PASSWORD));
    opened.add(store);
    return store;
  }

  @Test
  void claim_whileHeld_isRefused_andAfterExpiryTakenOverAtTheNextEpoch() {
    JdbcLeaseStore a = store();
    JdbcLeaseStore b = store();
    Duration length = Duration.ofMillis(400);

    LeaderRecord first = a.claim("a", "http://a", 0, length);
    LeaderRecord refused = b.claim("b", "http://b", 0, length);
    assertEquals(new LeaderRecord(1, "a", Optional.of("http://a")), first);
    assertEquals(first, refused);

    LeaderRecord renewed = a.claim("a", "http://a", 1, length);
    assertEquals(1, renewed.epoch());

    LeaderRecord taken =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> b.claim("b", "http://b", 0, length), r -> r.heldBy("b"));
    assertEquals(2, taken.epoch());
    assertFalse(a.claim("a", "http://a", 1, length).heldBy("a"));
  }

  @Test
  void guard_readsTheEpochUnderAShareLock() throws Exception {
    store().claim("a", "http://a", 0, Duration.ofSeconds(5));
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement();
        var row = s.executeQuery(JdbcLeaseStore.GUARD_SQL)) {
      assertTrue(row.next());
      assertEquals(1, row.getLong(1));
    }
  }

  @Test
  void release_letsAnotherTakeOverAtOnce() {
    JdbcLeaseStore a = store();
    JdbcLeaseStore b = store();
    a.claim("a", "http://a", 0, Duration.ofMinutes(1));
    a.release("a", 1);
    assertEquals(
        new LeaderRecord(2, "b", Optional.of("http://b")),
        b.claim("b", "http://b", 0, Duration.ofMinutes(1)));
  }

  @Test
  void concurrentCandidates_neverWinTheSameEpoch() throws Exception {
    int candidates = 4;
    Map<Long, String> winners = new ConcurrentHashMap<>();
    List<String> doubleWins = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(candidates);
    List<Future<?>> runs = new ArrayList<>();
    for (int i = 0; i < candidates; i++) {
      String server = "s" + i;
      JdbcLeaseStore store = store();
      runs.add(
          pool.submit(
              () -> {
                start.await();
                long known = 0;
                for (int round = 0; round < 150; round++) {
                  LeaderRecord row =
                      store.claim(server, "http://" + server, known, Duration.ofMillis(20));
                  if (row.heldBy(server)) {
                    String before = winners.putIfAbsent(row.epoch(), server);
                    if (before != null && !before.equals(server)) {
                      synchronized (doubleWins) {
                        doubleWins.add(row.epoch() + ": " + before + " and " + server);
                      }
                    }
                    // every other round a winner forgets its term, as after stepping down
                    known = round % 2 == 0 ? row.epoch() : 0;
                  } else {
                    known = 0;
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> run : runs) {
      run.get();
    }
    pool.shutdown();
    assertEquals(List.of(), doubleWins);
    assertTrue(winners.size() > candidates, "the lease should have changed hands: " + winners);
  }
}
