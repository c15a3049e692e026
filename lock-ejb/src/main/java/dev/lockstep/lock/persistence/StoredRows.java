package dev.lockstep.lock.persistence;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.LockEvent;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.LockDelay;
import dev.lockstep.lock.table.SessionSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** The lock table's records as the store's entities, and back: one row each. */
final class StoredRows {
  private static final HexFormat HEX = HexFormat.of();

  private StoredRows() {}

  static SessionEntity toEntity(SessionSnapshot s) {
    SessionEntity e = new SessionEntity();
    e.id = s.id();
    e.tokenHash = HEX.formatHex(s.tokenHash());
    e.name = s.name();
    e.ttlMillis = s.ttl().toMillis();
    e.lockDelayMillis = s.lockDelay().toMillis();
    e.createdAtMillis = s.createdAt().toEpochMilli();
    e.expiresAtMillis = s.expiresAt().toEpochMilli();
    return e;
  }

  static SessionSnapshot toSnapshot(SessionEntity e) {
    return new SessionSnapshot(
        e.id,
        e.name,
        Duration.ofMillis(e.ttlMillis),
        Duration.ofMillis(e.lockDelayMillis),
        HEX.parseHex(e.tokenHash),
        Instant.ofEpochMilli(e.createdAtMillis),
        Instant.ofEpochMilli(e.expiresAtMillis),
        List.of());
  }

  static EventEntity toEntity(LockEvent event) {
    EventEntity e = new EventEntity();
    e.revision = event.revision();
    e.kind = event.kind().name();
    e.lockName = event.lock();
    e.sessionId = event.session();
    e.mode = event.mode();
    e.fencingToken = event.fencingToken();
    e.atMillis = event.at().toEpochMilli();
    e.owner = event.owner();
    return e;
  }

  static LockEvent toEvent(EventEntity e) {
    return new LockEvent(
        e.revision,
        EventKind.valueOf(e.kind),
        e.lockName,
        e.sessionId,
        e.mode,
        e.fencingToken,
        Instant.ofEpochMilli(e.atMillis),
        e.owner);
  }

  static LockDelayEntity toEntity(LockDelay delay) {
    LockDelayEntity row = new LockDelayEntity();
    row.lockName = delay.lock().value();
    row.blockedUntilMillis = delay.until().toEpochMilli();
    return row;
  }

  static GrantEntity toEntity(Grant g) {
    GrantEntity e = new GrantEntity();
    e.lockName = g.lock().value();
    e.sessionId = g.session();
    e.mode = g.mode().wireName();
    e.owner = g.owner();
    e.fencingToken = g.fencingToken();
    e.acquiredAtMillis = g.acquiredAt().toEpochMilli();
    return e;
  }

  static Grant toGrant(GrantEntity e) {
    return new Grant(
        new LockName(e.lockName),
        e.sessionId,
        LockMode.fromWire(e.mode)
            .orElseThrow(() -> new IllegalStateException("stored mode " + e.mode)),
        e.owner,
        e.fencingToken,
        Instant.ofEpochMilli(e.acquiredAtMillis));
  }
}
