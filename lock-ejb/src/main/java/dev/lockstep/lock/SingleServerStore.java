package dev.lockstep.lock;

import dev.lockstep.lock.persistence.JpaLockStore;
import dev.lockstep.lock.persistence.StoreSettings;
import java.util.logging.Logger;

/**
 * Opens the store of a server that is not one of a group. H2's file is one process's: a second
 * server pointed at the same data directory is refused by H2's file lock, and is told why in words,
 * with what to do instead, rather than with H2's own message alone.
 */
final class SingleServerStore {
  private static final Logger LOG = Logger.getLogger(SingleServerStore.class.getName());

  private SingleServerStore() {}

  static JpaLockStore open(StoreSettings settings, int eventsKept) {
    try {
      return JpaLockStore.open(settings, eventsKept);
    } catch (RuntimeException e) {
      if (settings.needsSyncAfterCommit() && saysInUse(e)) {
        String message =
            "another Lockstep server already uses the H2 database in "
                + settings.dataDir().toAbsolutePath()
                + ": H2 serves one server per data directory. For a standby that takes over, start"
                + " every server on one PostgreSQL database (lockstep.jdbc.url=jdbc:postgresql:...)";
        LOG.severe(message);
        throw new IllegalStateException(message, e);
      }
      throw e;
    }
  }

  private static boolean saysInUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("already in use")) {
        return true;
      }
    }
    return false;
  }
}
