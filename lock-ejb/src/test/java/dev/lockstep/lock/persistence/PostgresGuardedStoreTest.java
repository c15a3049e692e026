package dev.lockstep.lock.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockstep.lock.lease.JdbcLeaseStore;
import dev.lockstep.lock.lease.LeaseLostException;
import dev.lockstep.lock.session.SessionTokenIssuer;
import dev.lockstep.lock.table.LockTable;
import dev.lockstep.lock.table.TableLimits;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The active's commits on PostgreSQL check the leader row's epoch in their own transaction: once
 * another server took the lease, a commit of the old one rolls back. Skipped without {@code
 * lockstep.test.pg.url}, as the other PostgreSQL tests.
 */
class PostgresGuardedStoreTest {
  private static final String URL = System.getProperty("lockstep.test.pg.url", "");
  private static final String USER = System.getProperty("lockstep.test.pg.user", "lockstep");
  private static final String PASSWORD =
      System.getProperty("lockstep.test.pg.password", "lockstep");

  @TempDir Path dataDir;

  @BeforeEach
  void emptyDatabase() throws Exception {
    assumeTrue(!URL.isBlank(), "lockstep.test.pg.url is not set: no PostgreSQL to test against");
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      for (String table : StoreTables.ALL) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
      s.execute("DROP TABLE IF EXISTS " + JdbcLeaseStore.LEADER_TABLE);
    }
  }

  @Test
  void commit_afterTheLeaseWasTakenOver_rollsBack() {
    StoreSettings settings =
        new StoreSettings(dataDir, Optional.of(URL), Optional.of(USER), Optional.of(PASSWORD));
    JdbcLeaseStore lease =
        new JdbcLeaseStore(() -> DriverManager.getConnection(URL, USER, PASSWORD));
    LockTable table =
        new LockTable(
            Clock.systemUTC(),
            TableLimits.defaults(),
            new SessionTokenIssuer(new SplittableRandom(7)));
    try (lease;
        JpaLockStore shared = JpaLockStore.open(settings, 1_000)) {
      GuardedStore store = new GuardedStore(shared, 1);
      assertEquals(1, lease.claim("a", "http://a", 0, Duration.ofMinutes(1)).epoch());
      store.apply(List.of(table.openSession("kept", null, null).changes()));

      lease.release("a", 1);
      assertEquals(2, lease.claim("b", "http://b", 0, Duration.ofMinutes(1)).epoch());
      LeaseLostException lost =
          assertThrows(
              LeaseLostException.class,
              () -> store.apply(List.of(table.openSession("lost", null, null).changes())));
      assertEquals(2, lost.found());

      assertEquals(1, store.load().sessions().size(), "only the session of epoch 1 is stored");
      assertEquals("kept", store.load().sessions().get(0).name());
    }
  }
}
