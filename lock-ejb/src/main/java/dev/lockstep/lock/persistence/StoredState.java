package dev.lockstep.lock.persistence;

import dev.lockstep.api.LockEvent;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.LockDelay;
import dev.lockstep.lock.table.SessionSnapshot;
import java.util.List;

/**
 * What a restart finds in the database: the counter, sessions, grants, and the kept events, all
 * revisions up to {@code forgottenUpTo} being no longer available to resume from, and the
 * lock-delays that were set (the table ignores those that have passed).
 */
public record StoredState(
    long counter,
    List<SessionSnapshot> sessions,
    List<Grant> grants,
    List<LockEvent> events,
    long forgottenUpTo,
    List<LockDelay> delays) {
  public StoredState {
    sessions = List.copyOf(sessions);
    grants = List.copyOf(grants);
    events = List.copyOf(events);
    delays = List.copyOf(delays);
  }
}
