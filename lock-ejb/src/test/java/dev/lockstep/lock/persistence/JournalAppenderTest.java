package dev.lockstep.lock.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.PersistenceException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's JDBC appends: durable rows, and a fresh connection after a failed append. */
class JournalAppenderTest {
  @TempDir Path dataDir;
  StoreSettings settings;
  JdbcConnector connector;

  @BeforeEach
  void createTables() {
    settings = StoreSettings.h2(dataDir);
    // Opening the JPA store creates the tables, as at a server's start.
    JpaLockStore.open(settings).close();
    connector = JdbcConnector.of(settings, new Properties());
  }

  @Test
  void appendsRowsThatAnotherConnectionReads() throws SQLException {
    try (JournalAppender appender = new JournalAppender(connector, true)) {
      appender.append(new JournalEntity(1, 1, 3, new byte[] {1, 2, 3}), OptionalLong.empty());
      appender.append(new JournalEntity(2, 4, 4, new byte[] {4}), OptionalLong.empty());
    }
    assertEquals(List.of("1:1-3:3", "2:4-4:1"), journal());
  }

  @Test
  void aFailedAppendLeavesNothingAndTheNextOneGoesThroughOnANewConnection() throws SQLException {
    try (JournalAppender appender = new JournalAppender(connector, true)) {
      appender.append(new JournalEntity(1, 1, 1, new byte[] {1}), OptionalLong.empty());
      // The same sequence number again: the insert fails on the primary key.
      PersistenceException failed =
          assertThrows(
              PersistenceException.class,
              () ->
                  appender.append(
                      new JournalEntity(1, 2, 2, new byte[] {2}), OptionalLong.empty()));
      assertTrue(failed.getMessage().startsWith("the journal's append failed"), failed::getMessage);
      appender.append(new JournalEntity(2, 2, 2, new byte[] {2}), OptionalLong.empty());
    }
    assertEquals(List.of("1:1-1:1", "2:2-2:1"), journal());
  }

  @Test
  void aGuardedAppendWithoutALeaderRowIsRefusedAndAppendsNothing() throws SQLException {
    try (JournalAppender appender = new JournalAppender(connector, false)) {
      // H2 of a single server has no leader table: an epoch there is a configuration error.
      assertThrows(
          PersistenceException.class,
          () -> appender.append(new JournalEntity(1, 1, 1, new byte[] {1}), OptionalLong.of(1)));
      appender.append(new JournalEntity(2, 1, 1, new byte[] {1}), OptionalLong.empty());
    }
    assertEquals(List.of("2:1-1:1"), journal());
  }

  /** The journal's rows as seq:first-last:bytes, read on a connection of the test's own. */
  private List<String> journal() throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = connector.open();
        ResultSet row =
            c.createStatement()
                .executeQuery(
                    "SELECT SEQ, FIRST_REVISION, LAST_REVISION, CHANGES FROM "
                        + StoreTables.JOURNAL
                        + " ORDER BY SEQ")) {
      while (row.next()) {
        rows.add(
            row.getLong(1)
                + ":"
                + row.getLong(2)
                + "-"
                + row.getLong(3)
                + ":"
                + row.getBytes(4).length);
      }
    }
    return rows;
  }
}
