package dev.lockstep.client.fencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.client.LockClient;
import dev.lockstep.client.LockHandle;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.support.LockServerExtension;
import dev.lockstep.client.support.TestClients;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fencing guard against a real database (H2 in memory): a write with a token lower than one the
 * resource has seen is refused and rolled back.
 */
@ExtendWith(LockServerExtension.class)
class FencingGuardTest {
  private static final String RESOURCE = "accounts/42";

  private final FencingGuard guard = new FencingGuard("fencing_tokens");
  private JdbcDataSource database;

  /** Keeps the in-memory database alive for the test; H2 drops it with the last connection. */
  private Connection keepOpen;

  @BeforeEach
  void setUp() throws SQLException {
    database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:fencing-" + UUID.randomUUID());
    keepOpen = database.getConnection();
    guard.createTable(keepOpen);
    guard.createTable(keepOpen); // idempotent
    try (Statement s = keepOpen.createStatement()) {
      s.execute("CREATE TABLE ledger (token BIGINT NOT NULL, entry VARCHAR(100) NOT NULL)");
    }
  }

  @AfterEach
  void tearDown() throws SQLException {
    keepOpen.close();
  }

  private int writeEntry(long token, String entry) throws SQLException {
    return guard.write(
        database,
        RESOURCE,
        token,
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement("INSERT INTO ledger (token, entry) VALUES (?, ?)")) {
            insert.setLong(1, token);
            insert.setString(2, entry);
            return insert.executeUpdate();
          }
        });
  }

  private List<String> ledger() throws SQLException {
    List<String> entries = new ArrayList<>();
    try (Statement s = keepOpen.createStatement();
        ResultSet rows = s.executeQuery("SELECT token, entry FROM ledger ORDER BY token, entry")) {
      while (rows.next()) {
        entries.add(rows.getLong(1) + ":" + rows.getString(2));
      }
    }
    return entries;
  }

  private long recordedToken() throws SQLException {
    try (PreparedStatement q =
        keepOpen.prepareStatement(
            "SELECT fencing_token FROM fencing_tokens WHERE resource_id = ?")) {
      q.setString(1, RESOURCE);
      try (ResultSet row = q.executeQuery()) {
        assertTrue(row.next(), "no token recorded for " + RESOURCE);
        return row.getLong(1);
      }
    }
  }

  @Test
  void write_withStaleToken_isRefusedAndRolledBack() throws SQLException {
    writeEntry(5, "five");
    writeEntry(7, "seven");

    StaleFencingTokenException refused =
        assertThrows(StaleFencingTokenException.class, () -> writeEntry(6, "six"));

    assertEquals(RESOURCE, refused.resource());
    assertEquals(6, refused.token());
    assertEquals(List.of("5:five", "7:seven"), ledger());
    assertEquals(7, recordedToken());
  }

  @Test
  void write_withEqualToken_isAllowed() throws SQLException {
    writeEntry(7, "seven");

    writeEntry(7, "seven-again");

    assertEquals(List.of("7:seven", "7:seven-again"), ledger());
    assertEquals(7, recordedToken());
  }

  @Test
  void check_withStaleToken_rollsBackTheWriteMadeBeforeIt() throws SQLException {
    writeEntry(7, "seven");

    // The write first, the check after, in one transaction: the refusal must undo the write.
    try (Connection connection = database.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement s = connection.createStatement()) {
        s.executeUpdate("INSERT INTO ledger (token, entry) VALUES (6, 'six')");
      }
      assertThrows(StaleFencingTokenException.class, () -> guard.check(connection, RESOURCE, 6));
      connection.rollback();
    }

    assertEquals(List.of("7:seven"), ledger());
  }

  @Test
  void write_whenTheWriteFails_rollsBackTheTokenToo() throws SQLException {
    writeEntry(5, "five");

    assertThrows(
        SQLException.class,
        () ->
            guard.write(
                database,
                RESOURCE,
                9,
                connection -> {
                  try (Statement s = connection.createStatement()) {
                    return s.executeUpdate("INSERT INTO no_such_table VALUES (1)");
                  }
                }));

    assertEquals(5, recordedToken(), "the token of a failed write is not kept");
    writeEntry(6, "six"); // so a token between the two still writes
    assertEquals(List.of("5:five", "6:six"), ledger());
  }

  @Test
  void tokensFromRealGrants_refuseThePausedHoldersLateWrite(LockServer server) throws Exception {
    try (TestClients clients = new TestClients(server)) {
      String lock = TestClients.uniquePrefix("fencing") + "account";
      LockClient paused = clients.openUncached();
      LockClient next = clients.openUncached();
      long oldToken;
      try (LockHandle first = paused.acquire(lock)) {
        oldToken = first.fencingToken();
      } // as if its session had expired during a GC pause: the lock moves on
      try (LockHandle second = next.acquire(lock)) {
        writeEntry(second.fencingToken(), "new holder");
      }

      assertThrows(StaleFencingTokenException.class, () -> writeEntry(oldToken, "late write"));
      assertEquals(1, ledger().size());
    }
  }

  @Test
  void constructor_withUnsafeTableName_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> new FencingGuard("t; DROP TABLE x"));
    assertThrows(IllegalArgumentException.class, () -> new FencingGuard("1table"));
  }
}
