package dev.lockstep.lock.persistence;

import dev.lockstep.lock.table.Changes;
import java.util.List;

/**
 * Where the lock table is kept between runs. {@link JpaLockStore} is the one the server uses; the
 * lock service's unit tests use a fake. Not thread-safe: the group commit calls it one batch at a
 * time.
 */
public interface LockStore extends AutoCloseable {
  /** What the last run stored, for the table to restore. */
  StoredState load();

  /** Stores the changes of several operations in one transaction; returns once they are durable. */
  void apply(List<Changes> batch);

  @Override
  void close();
}
