package dev.lockstep.lock.persistence;

import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.SessionSnapshot;
import java.util.List;

/** What a restart finds in the database. */
public record StoredState(long counter, List<SessionSnapshot> sessions, List<Grant> grants) {
  public StoredState {
    sessions = List.copyOf(sessions);
    grants = List.copyOf(grants);
  }
}
