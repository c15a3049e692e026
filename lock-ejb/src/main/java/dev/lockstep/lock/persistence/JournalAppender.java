package dev.lockstep.lock.persistence;

import dev.lockstep.lock.lease.JdbcLeaseStore;
import dev.lockstep.lock.lease.LeaseLostException;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * Appends the journal's records with plain JDBC on a connection of its own, with its statements
 * prepared once. A commit is the hot path of every change: through an EntityManager it cost about
 * 330 µs of CPU on H2 before the force (EclipseLink's unit of work, change set and SQL for one
 * insert), through a prepared insert about 150 µs (README, "Persistence"). Everything else the
 * store does (load, checkpoint, trim) stays JPA. Not thread-safe: the store calls it under its own
 * lock.
 */
final class JournalAppender implements AutoCloseable {
  private static final String INSERT =
      "INSERT INTO "
          + StoreTables.JOURNAL
          + " (SEQ, FIRST_REVISION, LAST_REVISION, CHANGES) VALUES (?, ?, ?, ?)";

  private final JdbcConnector connector;
  private final boolean syncAfterCommit;
  private Optional<Statements> open = Optional.empty();

  /** The guard is prepared at the first guarded append: a single server's H2 has no leader row. */
  private Optional<PreparedStatement> guard = Optional.empty();

  private record Statements(
      Connection connection, PreparedStatement insert, Optional<PreparedStatement> sync) {}

  /**
   * {@code syncAfterCommit}: force the database file after each commit, for a database that does
   * not do so itself (H2: see {@link StoreSettings#needsSyncAfterCommit()}).
   */
  JournalAppender(JdbcConnector connector, boolean syncAfterCommit) {
    this.connector = connector;
    this.syncAfterCommit = syncAfterCommit;
  }

  static JournalAppender of(StoreSettings settings) {
    return new JournalAppender(
        JdbcConnector.of(settings, new Properties()), settings.needsSyncAfterCommit());
  }

  /**
   * Appends one record in its own transaction and returns once it is durable. With an {@code
   * epoch}, the transaction first reads the leader row's epoch under a share lock and rolls back
   * with a {@link LeaseLostException} when it is another (see {@link JdbcLeaseStore#GUARD_SQL}).
   */
  void append(JournalEntity record, OptionalLong epoch) {
    Statements s;
    try {
      s = statements();
    } catch (SQLException e) {
      throw new PersistenceException("cannot open the journal's connection: " + e.getMessage(), e);
    }
    try {
      if (epoch.isPresent()) {
        checkEpoch(guard(s), epoch.getAsLong());
      }
      s.insert().setLong(1, record.seq);
      s.insert().setLong(2, record.firstRevision);
      s.insert().setLong(3, record.lastRevision);
      s.insert().setBytes(4, record.changes);
      s.insert().executeUpdate();
      s.connection().commit();
    } catch (SQLException | RuntimeException e) {
      rollbackAndClose(s);
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new PersistenceException("the journal's append failed: " + e.getMessage(), e);
    }
    if (s.sync().isPresent()) {
      force(s, s.sync().get());
    }
  }

  private PreparedStatement guard(Statements s) throws SQLException {
    if (guard.isEmpty()) {
      guard = Optional.of(s.connection().prepareStatement(JdbcLeaseStore.GUARD_SQL));
    }
    return guard.get();
  }

  private static void checkEpoch(PreparedStatement guard, long epoch) throws SQLException {
    try (ResultSet row = guard.executeQuery()) {
      long found = row.next() ? row.getLong(1) : -1;
      if (found != epoch) {
        throw new LeaseLostException(epoch, found);
      }
    }
  }

  /**
   * H2 writes a commit to the file but never forces it to the device: a power loss could take an
   * answered grant. {@code CHECKPOINT SYNC} forces the file (fsync), as ZooKeeper and etcd do with
   * their logs; a server database (PostgreSQL) does so in its own commit. One force serves a whole
   * group commit, which is what makes it affordable. When it fails, the record is committed but
   * perhaps not on the device: the caller must not answer it.
   */
  private void force(Statements s, PreparedStatement sync) {
    try {
      sync.execute();
    } catch (SQLException e) {
      rollbackAndClose(s);
      throw new PersistenceException("the journal's force failed: " + e.getMessage(), e);
    }
  }

  private Statements statements() throws SQLException {
    if (open.isEmpty()) {
      Connection c = connector.open();
      try {
        c.setAutoCommit(false);
        Optional<PreparedStatement> sync =
            syncAfterCommit ? Optional.of(c.prepareStatement("CHECKPOINT SYNC")) : Optional.empty();
        open = Optional.of(new Statements(c, c.prepareStatement(INSERT), sync));
      } catch (SQLException e) {
        closeQuietly(c);
        throw e;
      }
    }
    return open.get();
  }

  // The next append opens a new connection: this one may be broken for good.
  private void rollbackAndClose(Statements s) {
    try {
      s.connection().rollback();
    } catch (SQLException ignored) {
      // closing it ends the transaction too
    }
    close();
  }

  @Override
  public void close() {
    open.ifPresent(s -> closeQuietly(s.connection()));
    open = Optional.empty();
    guard = Optional.empty();
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing more to do with a connection that will not close
    }
  }
}
