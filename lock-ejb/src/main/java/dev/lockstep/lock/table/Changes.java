package dev.lockstep.lock.table;

import dev.lockstep.api.LockEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one operation changed, in order: what persistence must store before anyone is told
 * (sessions, grants, lock-delays set), the events it produced, and the waits it ended. {@code
 * counter} is the fencing/revision counter after the operation.
 */
public record Changes(
    List<LockEvent> events,
    List<SessionSnapshot> sessionsOpened,
    List<String> sessionsEnded,
    List<Grant> grantsAdded,
    List<Grant> grantsRemoved,
    List<WaitEnded> waitsEnded,
    List<LockDelay> delaysSet,
    long counter) {

  public Changes {
    events = List.copyOf(events);
    sessionsOpened = List.copyOf(sessionsOpened);
    sessionsEnded = List.copyOf(sessionsEnded);
    grantsAdded = List.copyOf(grantsAdded);
    grantsRemoved = List.copyOf(grantsRemoved);
    waitsEnded = List.copyOf(waitsEnded);
    delaysSet = List.copyOf(delaysSet);
  }

  /** Whether persistence has anything to store. */
  public boolean touchesStore() {
    return !sessionsOpened.isEmpty()
        || !sessionsEnded.isEmpty()
        || !grantsAdded.isEmpty()
        || !grantsRemoved.isEmpty()
        || !delaysSet.isEmpty()
        || !events.isEmpty();
  }

  /** Collects the changes of one operation. */
  static final class Log {
    final List<LockEvent> events = new ArrayList<>();
    final List<SessionSnapshot> sessionsOpened = new ArrayList<>();
    final List<String> sessionsEnded = new ArrayList<>();
    final List<Grant> grantsAdded = new ArrayList<>();
    final List<Grant> grantsRemoved = new ArrayList<>();
    final List<WaitEnded> waitsEnded = new ArrayList<>();
    final List<LockDelay> delaysSet = new ArrayList<>();

    /**
     * Records a removed grant. A grant made and removed within one operation (its session ended in
     * the same expiry sweep) cancels out, so persistence never deletes before it inserts.
     */
    void grantRemoved(Grant grant) {
      if (!grantsAdded.remove(grant)) {
        grantsRemoved.add(grant);
      }
    }

    Changes close(long counter) {
      return new Changes(
          events,
          sessionsOpened,
          sessionsEnded,
          grantsAdded,
          grantsRemoved,
          waitsEnded,
          delaysSet,
          counter);
    }
  }
}
