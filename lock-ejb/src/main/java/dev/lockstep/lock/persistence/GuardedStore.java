package dev.lockstep.lock.persistence;

import dev.lockstep.lock.table.Changes;
import java.util.List;
import java.util.Objects;

/**
 * One term of a group's active server: the server's one JPA store, every commit guarded by the
 * epoch the server took the lease at, and so is every checkpoint of the journal it appends to. The
 * store is opened once at start, also by a standby, so a takeover only loads the tables and does
 * not wait for JPA to start; closing a term leaves it open.
 */
public record GuardedStore(JpaLockStore shared, long epoch) implements LockStore {
  public GuardedStore {
    Objects.requireNonNull(shared, "shared");
  }

  @Override
  public StoredState load() {
    return shared.load();
  }

  @Override
  public void apply(List<Changes> batch) {
    shared.applyAt(epoch, batch);
  }

  @Override
  public void close() {
    // The server closes the shared store when it stops; a term only ends.
  }
}
