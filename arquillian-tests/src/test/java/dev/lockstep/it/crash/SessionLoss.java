package dev.lockstep.it.crash;

import java.time.Duration;
import java.time.Instant;

/**
 * A client found its session gone. That is legitimate only once the session's TTL has passed both
 * since the last keep-alive that got through and since the server's last start (the grace period of
 * shared/API.md); {@code launchedAt} is the earliest its lock table could have loaded, so the
 * judgement errs towards calling a loss legitimate, never the other way.
 */
record SessionLoss(
    String client,
    String session,
    Instant seenAt,
    Instant expiresAtLastKeptAlive,
    Instant serverLaunchedAt,
    boolean legitimate) {

  static SessionLoss judge(
      String client,
      String session,
      Instant seenAt,
      Instant expiresAtLastKeptAlive,
      Instant serverLaunchedAt,
      Duration ttl) {
    boolean legitimate =
        seenAt.isAfter(expiresAtLastKeptAlive) && seenAt.isAfter(serverLaunchedAt.plus(ttl));
    return new SessionLoss(
        client, session, seenAt, expiresAtLastKeptAlive, serverLaunchedAt, legitimate);
  }
}
