package dev.lockstep.client.fencing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Guards writes to a JDBC resource with fencing tokens: a write goes through only if its token is
 * at least the highest token any write to the same resource carried before. A holder that lost its
 * lock without knowing (a long GC pause past its TTL) carries an older token than the new holder,
 * and its late write is refused instead of overwriting the new holder's work.
 *
 * <p>The highest token per resource lives in a table {@code (resource_id, fencing_token)}, and the
 * check is one conditional UPDATE in the same transaction as the write: either both commit or
 * neither. With JPA, run it on the same connection (e.g. {@code em.unwrap(Connection.class)} in
 * EclipseLink) inside the transaction.
 */
public final class FencingGuard {
  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private final String table;

  public FencingGuard(String table) {
    if (!TABLE_NAME.matcher(Objects.requireNonNull(table, "table")).matches()) {
      throw new IllegalArgumentException("not a plain table name: " + table);
    }
    this.table = table;
  }

  /** Creates the token table if it does not exist. */
  public void createTable(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + table
              + " (resource_id VARCHAR(512) PRIMARY KEY, fencing_token BIGINT NOT NULL)");
    }
  }

  /**
   * Records {@code token} for {@code resource} in the connection's current transaction, or throws
   * {@link StaleFencingTokenException} when a higher token was recorded before. The row stays
   * locked until the transaction ends, so concurrent writers are ordered.
   */
  public void check(Connection connection, String resource, long token) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE "
                + table
                + " SET fencing_token = ? WHERE resource_id = ? AND fencing_token <= ?")) {
      update.setLong(1, token);
      update.setString(2, resource);
      update.setLong(3, token);
      if (update.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO " + table + " (resource_id, fencing_token) VALUES (?, ?)")) {
      insert.setString(1, resource);
      insert.setLong(2, token);
      insert.executeUpdate();
    } catch (SQLException rowExists) {
      // The row exists with a higher token (or a concurrent first writer won): refuse.
      throw new StaleFencingTokenException(resource, token);
    }
  }

  /** A write done on the guarded connection. */
  @FunctionalInterface
  public interface Write<T> {
    T apply(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code write} in one transaction with the token check: commits both, or rolls back both
   * and throws {@link StaleFencingTokenException} when the token is stale.
   */
  public <T> T write(DataSource dataSource, String resource, long token, Write<T> write)
      throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        check(connection, resource, token);
        T result = write.apply(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    }
  }
}
