package dev.lockstep.lock.table;

import dev.lockstep.api.LockName;
import dev.lockstep.api.SessionView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A session as persisted and shown: everything but the secret, of which only the hash is kept. */
public record SessionSnapshot(
    String id,
    String name,
    Duration ttl,
    Duration lockDelay,
    byte[] tokenHash,
    Instant createdAt,
    Instant expiresAt,
    List<LockName> locks) {
  public SessionSnapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(lockDelay, "lockDelay");
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    tokenHash = tokenHash.clone();
    locks = List.copyOf(locks);
  }

  @Override
  public byte[] tokenHash() {
    return tokenHash.clone();
  }

  public SessionView view() {
    return new SessionView(
        id,
        name,
        ttl.toMillis(),
        lockDelay.toMillis(),
        expiresAt,
        locks.stream().map(LockName::value).toList());
  }
}
