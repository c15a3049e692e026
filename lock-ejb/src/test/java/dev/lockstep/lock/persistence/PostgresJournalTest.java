package dev.lockstep.lock.persistence;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The journal on PostgreSQL; skipped without {@code lockstep.test.pg.url}, as the others. */
class PostgresJournalTest extends JournalContract {
  private static final String URL = System.getProperty("lockstep.test.pg.url", "");
  private static final String USER = System.getProperty("lockstep.test.pg.user", "lockstep");
  private static final String PASSWORD =
      System.getProperty("lockstep.test.pg.password", "lockstep");

  @TempDir Path dataDir;

  @BeforeEach
  void needsPostgres() {
    assumeTrue(!URL.isBlank(), "lockstep.test.pg.url is not set: no PostgreSQL to test against");
  }

  /** The one test database, emptied: each call drops the store's tables. */
  @Override
  StoreSettings freshDatabase() throws Exception {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      for (String table : StoreTables.ALL) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
    }
    return new StoreSettings(dataDir, Optional.of(URL), Optional.of(USER), Optional.of(PASSWORD));
  }
}
