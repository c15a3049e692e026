package dev.lockstep.lock.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** How a grant is stored; one row per holder of a lock. */
@Entity
@Table(name = StoreTables.GRANT)
@IdClass(GrantEntity.Key.class)
public class GrantEntity {
  @Id
  @Column(name = "LOCK_NAME", length = 256)
  String lockName;

  @Id
  @Column(name = "SESSION_ID", length = 32)
  String sessionId;

  @Column(name = "MODE", length = 16, nullable = false)
  String mode;

  @Column(name = "OWNER", length = 256)
  String owner;

  @Column(name = "FENCING_TOKEN", nullable = false)
  long fencingToken;

  @Column(name = "ACQUIRED_AT_MILLIS", nullable = false)
  long acquiredAtMillis;

  protected GrantEntity() {}

  /** The composite key: a session holds a lock at most once. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    String lockName;
    String sessionId;

    public Key() {}

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(lockName, k.lockName)
          && Objects.equals(sessionId, k.sessionId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(lockName, sessionId);
    }
  }
}
