package dev.lockstep.lock.table;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import java.time.Instant;

/**
 * A queued request for a lock. Mutable only in owner, deadline and request, when a retry takes it
 * over, and only through {@link WaitQueue#retake}, which keeps the deadline index in step.
 */
final class Waiter {
  final long id;
  final LockName lock;
  final Session session;
  final LockMode mode;
  final Instant since;
  String owner;
  Instant deadline;
  // The client's name for the request now holding this place, null when it sent none.
  String request;

  Waiter(
      long id,
      LockName lock,
      Session session,
      LockMode mode,
      String owner,
      Instant since,
      Instant deadline) {
    this.id = id;
    this.lock = lock;
    this.session = session;
    this.mode = mode;
    this.owner = owner;
    this.since = since;
    this.deadline = deadline;
  }
}
