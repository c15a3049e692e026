package dev.lockstep.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockstep.it.support.LockServerProcess;
import dev.lockstep.lock.persistence.StoreTables;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Nested;

/**
 * The restart scenarios again, with the server on PostgreSQL (lockstep.jdbc.url, user, password)
 * instead of H2. .ci/run starts PostgreSQL and passes {@code lockstep.test.pg.url}, and checks that
 * these tests ran; without it they are skipped.
 */
class PostgresRestartIT extends RestartScenarios {
  private static final String URL = System.getProperty("lockstep.test.pg.url", "");
  private static final String USER = System.getProperty("lockstep.test.pg.user", "lockstep");
  private static final String PASSWORD =
      System.getProperty("lockstep.test.pg.password", "lockstep");

  @Override
  LockServerProcess newServer() {
    return LockServerProcess.fromBuild("restart-pg-it", Integer.getInteger("it.port", 18080) + 201)
        .withSystemProperty("lockstep.jdbc.url", URL)
        .withSystemProperty("lockstep.jdbc.user", USER)
        .withSystemProperty("lockstep.jdbc.password", PASSWORD);
  }

  @Override
  void prepareDatabase() throws Exception {
    assumeTrue(!URL.isBlank(), "lockstep.test.pg.url is not set: no PostgreSQL to test against");
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      for (String table : StoreTables.ALL) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }

  @Nested
  class AfterKillNine extends KillNineRound {}

  @Nested
  class AfterGracefulStop extends GracefulStopRound {}
}
