package dev.lockstep.lock.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A lock-delay in force, so that a restart inside it does not hand the lock out early. */
@Entity
@Table(name = StoreTables.LOCK_DELAY)
public class LockDelayEntity {
  @Id
  @Column(name = "LOCK_NAME", length = 256)
  String lockName;

  @Column(name = "BLOCKED_UNTIL_MILLIS", nullable = false)
  long blockedUntilMillis;

  protected LockDelayEntity() {}
}
