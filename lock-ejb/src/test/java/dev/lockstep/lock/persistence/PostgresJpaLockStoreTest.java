package dev.lockstep.lock.persistence;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;

/**
 * The store on PostgreSQL, configured as a user would: by JDBC URL, user and password. .ci/run
 * installs and starts PostgreSQL and passes {@code lockstep.test.pg.url} (and checks afterwards
 * that these tests ran); without it, on a machine with no PostgreSQL, they are skipped.
 */
class PostgresJpaLockStoreTest extends JpaLockStoreContract {
  private static final String URL = System.getProperty("lockstep.test.pg.url", "");
  private static final String USER = System.getProperty("lockstep.test.pg.user", "lockstep");
  private static final String PASSWORD =
      System.getProperty("lockstep.test.pg.password", "lockstep");

  @Override
  StoreSettings settings() {
    return new StoreSettings(dataDir, Optional.of(URL), Optional.of(USER), Optional.of(PASSWORD));
  }

  @BeforeEach
  void emptyDatabase() throws Exception {
    assumeTrue(!URL.isBlank(), "lockstep.test.pg.url is not set: no PostgreSQL to test against");
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      for (String table : StoreTables.ALL) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }

  @Override
  void assertNoFileHolds(String secret) {
    // PostgreSQL's files are the server's, not the test's: the rows were checked above.
  }
}
