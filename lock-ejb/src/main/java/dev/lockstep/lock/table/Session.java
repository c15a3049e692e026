package dev.lockstep.lock.table;

import dev.lockstep.api.LockName;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/** A client's lease: the locks it holds and the waits it has queued die with it. */
final class Session {
  final String id;
  final String name;
  final Duration ttl;
  final Duration lockDelay;
  final byte[] tokenHash;
  final Instant createdAt;
  // Changed only by SessionRegistry.renew, which keeps the expiry index in step.
  Instant expiresAt;
  // Changed only by TableState, along with the locks' holders.
  final TreeSet<LockName> held = new TreeSet<>();
  // Changed only by WaitQueue, along with the lock's line and the WaitIndex.
  final Map<LockName, Waiter> waits = new LinkedHashMap<>();
  // Changed only by LockTable and TableState, as requests are granted or cancelled.
  final RequestLog requests = new RequestLog();

  Session(
      String id,
      String name,
      Duration ttl,
      Duration lockDelay,
      byte[] tokenHash,
      Instant createdAt,
      Instant expiresAt) {
    this.id = id;
    this.name = name;
    this.ttl = ttl;
    this.lockDelay = lockDelay;
    this.tokenHash = tokenHash.clone();
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
  }

  SessionSnapshot snapshot() {
    return new SessionSnapshot(
        id, name, ttl, lockDelay, tokenHash, createdAt, expiresAt, held.stream().toList());
  }
}
