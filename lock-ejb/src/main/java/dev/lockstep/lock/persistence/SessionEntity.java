package dev.lockstep.lock.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** How a session is stored: the secret's SHA-256 hash, never the secret. Times in epoch millis. */
@Entity
@Table(name = StoreTables.SESSION)
public class SessionEntity {
  @Id
  @Column(name = "ID", length = 32)
  String id;

  @Column(name = "TOKEN_HASH", length = 64, nullable = false)
  String tokenHash;

  @Column(name = "NAME", length = 256)
  String name;

  @Column(name = "TTL_MILLIS", nullable = false)
  long ttlMillis;

  @Column(name = "LOCK_DELAY_MILLIS", nullable = false)
  long lockDelayMillis;

  @Column(name = "CREATED_AT_MILLIS", nullable = false)
  long createdAtMillis;

  @Column(name = "EXPIRES_AT_MILLIS", nullable = false)
  long expiresAtMillis;

  protected SessionEntity() {}
}
