package dev.lockstep.lock.lease;

import dev.lockstep.lock.persistence.JdbcConnector;
import dev.lockstep.lock.persistence.StoreSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The lease as one leader row in PostgreSQL, beside the lock table's own tables. Every expiry is
 * the database's {@code clock_timestamp()}, so the servers' clocks never have to agree; every claim
 * is one conditional UPDATE, so two candidates can never both win it: PostgreSQL runs them one
 * after the other on the row, and the second sees the first's new expiry.
 *
 * <p>One connection, opened again after a failure. Not thread-safe: {@link LeaseKeeper} calls it
 * from one thread.
 */
public final class JdbcLeaseStore implements LeaseStore {
  /** The leader row's table; the lock store's commit reads its epoch (see {@link #GUARD_SQL}). */
  public static final String LEADER_TABLE = "lockstep_leader";

  static final String MEMBERS_TABLE = "lockstep_members";

  /**
   * Read by every commit of the active, inside the commit's transaction. FOR SHARE, not FOR KEY
   * SHARE: a takeover's UPDATE must wait until a commit that read the old epoch has ended, or the
   * new active could load the tables before that commit lands, and never know of it.
   */
  public static final String GUARD_SQL =
      "SELECT epoch FROM " + LEADER_TABLE + " WHERE id = 1 FOR SHARE";

  private static final String CLAIM_SQL =
      "UPDATE "
          + LEADER_TABLE
          + " SET epoch = CASE WHEN holder = ? AND epoch = ? THEN epoch ELSE epoch + 1 END,"
          + " holder = ?, url = ?, expires_at = clock_timestamp() + make_interval(secs => ?)"
          + " WHERE id = 1 AND (holder = ? OR expires_at <= clock_timestamp())"
          + " RETURNING epoch, holder, url";

  /** Opens a connection to the lock table's database. */
  @FunctionalInterface
  public interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private final ConnectionSource source;
  private Optional<Connection> connection = Optional.empty();

  public JdbcLeaseStore(ConnectionSource source) {
    this.source = source;
  }

  /**
   * The lease store on the lock table's own database. The driver is loaded through this library's
   * class loader, as the lock store's is (a container's DriverManager does not see the WAR's); the
   * timeouts keep a claim to a vanished database from outlasting a lease.
   */
  public static JdbcLeaseStore open(StoreSettings settings) {
    Properties properties = new Properties();
    properties.setProperty("connectTimeout", "2");
    properties.setProperty("socketTimeout", "2");
    properties.setProperty("ApplicationName", "lockstep-lease");
    return new JdbcLeaseStore(JdbcConnector.of(settings, properties)::open);
  }

  @Override
  public LeaderRecord claim(String server, String advertisedUrl, long knownEpoch, Duration length) {
    return call(
        "claim the lease",
        c -> {
          try (PreparedStatement claim = c.prepareStatement(CLAIM_SQL)) {
            claim.setString(1, server);
            claim.setLong(2, knownEpoch);
            claim.setString(3, server);
            claim.setString(4, advertisedUrl);
            claim.setDouble(5, length.toMillis() / 1000.0);
            claim.setString(6, server);
            try (ResultSet row = claim.executeQuery()) {
              if (row.next()) {
                return record(row);
              }
            }
          }
          return readRow(c).orElseThrow(() -> new SQLException("the leader row is missing"));
        });
  }

  @Override
  public Optional<LeaderRecord> read() {
    return call("read the leader row", c -> readRow(c).filter(r -> !r.holder().isEmpty()));
  }

  @Override
  public void heartbeat(String server, String advertisedUrl) {
    call(
        "record a heartbeat",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO "
                      + MEMBERS_TABLE
                      + " (server, url, seen_at) VALUES (?, ?, clock_timestamp())"
                      + " ON CONFLICT (server) DO UPDATE SET url = EXCLUDED.url,"
                      + " seen_at = EXCLUDED.seen_at")) {
            s.setString(1, server);
            s.setString(2, advertisedUrl);
            return s.executeUpdate();
          }
        });
  }

  @Override
  public List<Member> members(Duration within) {
    return call(
        "list the members",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT server, url FROM "
                      + MEMBERS_TABLE
                      + " WHERE seen_at > clock_timestamp() - make_interval(secs => ?)"
                      + " ORDER BY server")) {
            s.setDouble(1, within.toMillis() / 1000.0);
            List<Member> members = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
              while (rows.next()) {
                members.add(new Member(rows.getString(1), rows.getString(2)));
              }
            }
            return members;
          }
        });
  }

  @Override
  public void release(String server, long epoch) {
    call(
        "release the lease",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE "
                      + LEADER_TABLE
                      + " SET expires_at = '-infinity' WHERE id = 1 AND holder = ? AND epoch = ?")) {
            s.setString(1, server);
            s.setLong(2, epoch);
            return s.executeUpdate();
          }
        });
  }

  @Override
  public synchronized void close() {
    connection.ifPresent(JdbcLeaseStore::closeQuietly);
    connection = Optional.empty();
  }

  private interface Work<T> {
    T on(Connection c) throws SQLException;
  }

  /** Runs {@code work} on the connection, opening it (and the tables) first when needed. */
  private synchronized <T> T call(String what, Work<T> work) {
    try {
      if (connection.isEmpty()) {
        Connection c = source.open();
        c.setAutoCommit(true);
        try {
          createTables(c);
        } catch (SQLException e) {
          closeQuietly(c);
          throw e;
        }
        connection = Optional.of(c);
      }
      return work.on(connection.get());
    } catch (SQLException e) {
      // The next call opens a new connection: this one may be broken for good.
      close();
      throw new LeaseStoreException("could not " + what + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates the tables and the one leader row when missing. Under a transaction-scoped advisory
   * lock, since two servers starting at once would otherwise race in CREATE TABLE IF NOT EXISTS.
   */
  private static void createTables(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(7470110)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + LEADER_TABLE
              + " (id INTEGER PRIMARY KEY, epoch BIGINT NOT NULL, holder VARCHAR(200) NOT NULL,"
              + " url VARCHAR(2000), expires_at TIMESTAMPTZ NOT NULL)");
      s.execute(
          "INSERT INTO "
              + LEADER_TABLE
              + " VALUES (1, 0, '', NULL, '-infinity') ON CONFLICT (id) DO NOTHING");
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + MEMBERS_TABLE
              + " (server VARCHAR(200) PRIMARY KEY, url VARCHAR(2000) NOT NULL,"
              + " seen_at TIMESTAMPTZ NOT NULL)");
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static Optional<LeaderRecord> readRow(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet row =
            s.executeQuery("SELECT epoch, holder, url FROM " + LEADER_TABLE + " WHERE id = 1")) {
      return row.next() ? Optional.of(record(row)) : Optional.empty();
    }
  }

  private static LeaderRecord record(ResultSet row) throws SQLException {
    return new LeaderRecord(
        row.getLong(1), row.getString(2), Optional.ofNullable(row.getString(3)));
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // It is being thrown away: nothing more to learn from it.
    }
  }
}
