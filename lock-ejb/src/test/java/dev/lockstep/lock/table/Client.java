package dev.lockstep.lock.table;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.lock.table.AcquireResult.Granted;
import java.time.Duration;

/**
 * A session as its client sees it: the public id and the bearer token. The one fixture the lock
 * table's tests share for opening sessions and acquiring as one.
 */
record Client(String id, String token) {

  /** Opens a session named {@code test} on the table. */
  static Client open(LockTable table, Duration ttl, Duration lockDelay) {
    OpenedSession opened = table.openSession("test", ttl, lockDelay).result();
    return new Client(opened.session().id(), opened.token().value());
  }

  /** The owner text this client sends: its own, so a test can tell holders apart by it. */
  String owner() {
    return "owner-of-" + id;
  }

  Outcome<AcquireResult> acquire(LockTable table, LockName name, LockMode mode, Duration wait) {
    return table.acquire(token, name, mode, owner(), wait);
  }

  /** Acquires a lock that must be granted at once, and returns the new grant. */
  Grant grant(LockTable table, LockName name, LockMode mode) {
    Granted granted =
        assertInstanceOf(Granted.class, acquire(table, name, mode, Duration.ZERO).result());
    assertFalse(granted.repeated());
    return granted.grant();
  }
}
