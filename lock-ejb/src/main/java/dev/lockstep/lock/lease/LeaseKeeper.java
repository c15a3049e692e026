package dev.lockstep.lock.lease;

import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Claims or renews the lease once per {@link #renew} call (the server calls it every renewal
 * interval) and tells its {@link Listener} when this server became active or stepped down. The
 * listener runs on the calling thread, in the order the changes happened.
 */
public final class LeaseKeeper {
  private static final Logger LOG = Logger.getLogger(LeaseKeeper.class.getName());

  private final Lease lease;
  private final LeaseStore store;
  private final LeaseSettings settings;
  private final Listener listener;
  private boolean unreachableLogged;

  /** What the server does when its part changes. */
  public interface Listener {
    /** Load the table afresh from the database; commits are to be guarded by {@code epoch}. */
    void becameActive(long epoch);

    /** Discard the table; answer not-leader from now on. */
    void steppedDown();
  }

  public LeaseKeeper(Lease lease, LeaseStore store, LeaseSettings settings, Listener listener) {
    this.lease = Objects.requireNonNull(lease, "lease");
    this.store = Objects.requireNonNull(store, "store");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  public Lease lease() {
    return lease;
  }

  /** Claims or renews once; an unreachable database changes nothing until the lease runs out. */
  public synchronized void renew() {
    var sentAt = lease.sending();
    LeaderRecord row;
    try {
      row =
          store.claim(
              settings.server(), settings.advertisedUrl(), lease.knownEpoch(), settings.length());
      store.heartbeat(settings.server(), settings.advertisedUrl());
      unreachableLogged = false;
    } catch (LeaseStoreException e) {
      if (!unreachableLogged) {
        LOG.log(Level.WARNING, "the lease could not be renewed", e);
        unreachableLogged = true;
      }
      return;
    }
    tell(lease.answered(sentAt, row));
  }

  /** A commit at {@code epoch} found the lease taken over: step down at once. */
  public void commitRefused(long epoch) {
    tell(lease.commitRefused(epoch));
  }

  /** Steps down and gives the lease up, so that a standby need not wait for it to expire. */
  public synchronized void resign() {
    var held = lease.resign();
    if (held.isPresent()) {
      listener.steppedDown();
      try {
        store.release(settings.server(), held.getAsLong());
      } catch (LeaseStoreException e) {
        LOG.log(Level.INFO, "the lease could not be released; it expires on its own", e);
      }
    }
  }

  private void tell(Lease.Change change) {
    switch (change) {
      case BECAME_ACTIVE -> {
        long epoch = lease.activeEpoch().orElseThrow();
        LOG.info(() -> settings.server() + " is active at epoch " + epoch);
        listener.becameActive(epoch);
      }
      case STEPPED_DOWN -> {
        LOG.warning(() -> settings.server() + " stepped down: the lease is another's");
        listener.steppedDown();
      }
      case NONE -> {}
    }
  }
}
