package dev.lockstep.lock;

import dev.lockstep.api.ClusterView;
import dev.lockstep.lock.lease.LeaderRecord;
import dev.lockstep.lock.lease.LeaseKeeper;
import dev.lockstep.lock.lease.LeaseSettings;
import dev.lockstep.lock.lease.LeaseStore;
import dev.lockstep.lock.lease.LeaseStoreException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One server of an active/standby group on one database: while its lease says it is the active one
 * it has the lock service's parts, loaded afresh from the database at each new epoch; as a standby
 * it has none, and every call is refused with the active's address. Plain Java: the lease rules are
 * {@link dev.lockstep.lock.lease.Lease}'s; {@link LockService} renews on a schedule.
 */
final class ActiveStandby implements LeaseKeeper.Listener {
  private static final Logger LOG = Logger.getLogger(ActiveStandby.class.getName());

  /** A member whose heartbeat is older than this many lease lengths is no longer listed. */
  private static final int MEMBER_LEASES = 3;

  private final LeaseSettings settings;
  private final LeaseStore store;
  private final LongFunction<ServiceParts> load;
  private LeaseKeeper keeper;
  private volatile Optional<ServiceParts> active = Optional.empty();
  private volatile List<LeaseStore.Member> members = List.of();

  /**
   * {@code load} restores the parts from the database for a term at the given epoch, their commits
   * guarded by it; it is called on the renewing thread.
   */
  ActiveStandby(LeaseSettings settings, LeaseStore store, LongFunction<ServiceParts> load) {
    this.settings = settings;
    this.store = store;
    this.load = load;
  }

  /** Wires the keeper in; the keeper's listener is this object, so it comes after construction. */
  void keptBy(LeaseKeeper keeper) {
    this.keeper = keeper;
  }

  /** Claims or renews the lease once, then refreshes the members it lists. */
  void renew() {
    keeper.renew();
    try {
      members = store.members(settings.length().multipliedBy(MEMBER_LEASES));
    } catch (LeaseStoreException e) {
      // The lease renewal said so already; the last list stays until the database answers.
    }
  }

  @Override
  public void becameActive(long epoch) {
    discard();
    try {
      active = Optional.of(load.apply(epoch));
      LOG.info(() -> settings.server() + " serves at epoch " + epoch);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "could not load the lock table; giving the lease up", e);
      keeper.resign();
    }
  }

  @Override
  public void steppedDown() {
    discard();
  }

  /** A commit of the term at {@code epoch} found the lease taken over. */
  NotLeaderException commitRefused(long epoch) {
    keeper.commitRefused(epoch);
    return notLeader();
  }

  /** The parts of the active term; refused on a standby. */
  ServiceParts parts() {
    return active.orElseThrow(this::notLeader);
  }

  /** The parts of the active term, if any: for health and metrics, which a standby also answers. */
  Optional<ServiceParts> current() {
    return active;
  }

  /** Whether a read may be answered now: active, and the lease surely still this server's. */
  boolean mayAnswerReads() {
    return active.isPresent() && keeper.lease().mayAnswerReads();
  }

  NotLeaderException notLeader() {
    Optional<String> leader =
        keeper
            .lease()
            .lastSeen()
            .filter(row -> !row.heldBy(settings.server()))
            .flatMap(LeaderRecord::advertisedUrl);
    return new NotLeaderException(
        leader
            .map(url -> "this server is a standby; the active one is " + url)
            .orElse("this server is not the active one, and knows of none now"),
        leader,
        settings.renewInterval().multipliedBy(2));
  }

  ClusterView view() {
    Optional<LeaderRecord> row = keeper.lease().lastSeen();
    return new ClusterView(
        settings.server(),
        settings.advertisedUrl(),
        mayAnswerReads() ? "active" : "standby",
        row.map(LeaderRecord::holder).filter(h -> !h.isEmpty()).orElse(null),
        row.flatMap(LeaderRecord::advertisedUrl).orElse(null),
        row.map(LeaderRecord::epoch).orElse(0L),
        members.stream().map(m -> new ClusterView.Member(m.server(), m.advertisedUrl())).toList());
  }

  /** Steps down and gives the lease up, for a standby to take over at once. */
  void stop() {
    keeper.resign();
    discard();
    store.close();
  }

  /**
   * Drops the watchers at once (they resume on the new active) and closes the table on a thread of
   * its own: the step-down may come from a commit, which closing would wait for.
   */
  private void discard() {
    Optional<ServiceParts> old = active;
    active = Optional.empty();
    old.ifPresent(
        parts -> {
          parts.table().depose();
          parts.watches().dropAll();
          Thread closing =
              new Thread(
                  () -> {
                    try {
                      parts.table().close();
                    } catch (RuntimeException e) {
                      LOG.log(Level.FINE, "closing a deposed table", e);
                    }
                  },
                  "lockstep-discard");
          closing.setDaemon(true);
          closing.start();
        });
  }

  Duration renewInterval() {
    return settings.renewInterval();
  }
}
