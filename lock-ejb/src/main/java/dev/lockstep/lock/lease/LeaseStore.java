package dev.lockstep.lock.lease;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the lease lives: one leader row in the lock table's own database. Every time it keeps is
 * the database's, so the servers' clocks never have to agree. {@link JdbcLeaseStore} is the one the
 * server uses; the lease's unit tests use a fake.
 */
public interface LeaseStore extends AutoCloseable {
  /**
   * Claims or renews the lease for {@code server}, in one atomic step: it succeeds when {@code
   * server} is the holder or when the lease has expired in database time. At {@code knownEpoch} it
   * is a renewal and the epoch stays; otherwise a new term, and the epoch grows by one, even when
   * the holder was {@code server} itself, since the table it had at the old epoch is gone. Either
   * way the expiry becomes the database's now plus {@code length}, so a row that names {@code
   * server} always comes from this claim. Returns the row as it is afterwards, whoever holds it.
   *
   * @throws LeaseStoreException when the database cannot be asked
   */
  LeaderRecord claim(String server, String advertisedUrl, long knownEpoch, Duration length);

  /** The row as it is now, without claiming; empty when no server ever claimed it. */
  Optional<LeaderRecord> read();

  /** Records that {@code server} is up, for the members it lists. */
  void heartbeat(String server, String advertisedUrl);

  /** The servers that sent a heartbeat within {@code within}, in database time. */
  List<Member> members(Duration within);

  /**
   * Gives the lease up at once if {@code server} holds it at {@code epoch}: a clean shutdown lets a
   * standby take over without waiting for the expiry.
   */
  void release(String server, long epoch);

  @Override
  void close();

  /** A server of the group, as its last heartbeat said. */
  record Member(String server, String advertisedUrl) {}
}
