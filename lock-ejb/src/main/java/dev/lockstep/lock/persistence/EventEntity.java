package dev.lockstep.lock.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One event of the history that watchers resume from, kept across restarts. */
@Entity
@Table(name = StoreTables.EVENT)
public class EventEntity {
  @Id
  @Column(name = "REVISION")
  long revision;

  @Column(name = "KIND", length = 32, nullable = false)
  String kind;

  @Column(name = "LOCK_NAME", length = 256)
  String lockName;

  @Column(name = "SESSION_ID", length = 32)
  String sessionId;

  @Column(name = "MODE", length = 16)
  String mode;

  @Column(name = "FENCING_TOKEN")
  Long fencingToken;

  @Column(name = "AT_MILLIS", nullable = false)
  long atMillis;

  @Column(name = "OWNER", length = 256)
  String owner;

  protected EventEntity() {}
}
