package dev.lockstep.lock.persistence;

import dev.lockstep.api.LockEvent;
import dev.lockstep.lock.table.Changes;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.LockDelay;
import dev.lockstep.lock.table.SessionSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The net effect of several operations' changes on the stored rows, in the shape one transaction
 * can write: deletes of rows that existed before, then inserts. A grant added and removed within
 * the batch (a quick acquire and release) is never written at all; a row removed and then added
 * again (re-acquired) is deleted before it is inserted, so no key clashes.
 */
final class NetChanges {
  /** A grant row's key: one grant per session and lock. */
  record GrantKey(String lock, String session) {
    static GrantKey of(Grant grant) {
      return new GrantKey(grant.lock().value(), grant.session());
    }
  }

  final Set<GrantKey> grantDeletes = new LinkedHashSet<>();
  final Map<GrantKey, Grant> grantInserts = new LinkedHashMap<>();
  final Set<String> sessionDeletes = new LinkedHashSet<>();
  final Map<String, SessionSnapshot> sessionInserts = new LinkedHashMap<>();
  final Map<String, LockDelay> delays = new LinkedHashMap<>();
  final List<LockEvent> events = new ArrayList<>();

  /** The counter after the last operation, and before the first one's events. */
  long counter;

  long counterBefore = -1;

  static NetChanges of(List<Changes> batch) {
    NetChanges net = new NetChanges();
    for (Changes changes : batch) {
      net.add(changes);
    }
    return net;
  }

  /**
   * Adds the net effect of a later batch, as if its operations had been in this one: how a
   * checkpoint or a replay folds several journal records into one write.
   */
  void addLater(NetChanges later) {
    if (counterBefore < 0) {
      counterBefore = later.counterBefore;
    }
    for (GrantKey key : later.grantDeletes) {
      if (grantInserts.remove(key) == null) {
        grantDeletes.add(key);
      }
    }
    for (String session : later.sessionDeletes) {
      if (sessionInserts.remove(session) == null) {
        sessionDeletes.add(session);
      }
    }
    sessionInserts.putAll(later.sessionInserts);
    grantInserts.putAll(later.grantInserts);
    events.addAll(later.events);
    delays.putAll(later.delays);
    counter = Math.max(counter, later.counter);
  }

  private void add(Changes changes) {
    if (counterBefore < 0) {
      counterBefore =
          changes.events().isEmpty() ? changes.counter() : changes.events().get(0).revision() - 1;
    }
    for (Grant grant : changes.grantsRemoved()) {
      GrantKey key = GrantKey.of(grant);
      if (grantInserts.remove(key) == null) {
        grantDeletes.add(key);
      }
    }
    for (String session : changes.sessionsEnded()) {
      if (sessionInserts.remove(session) == null) {
        sessionDeletes.add(session);
      }
    }
    for (SessionSnapshot session : changes.sessionsOpened()) {
      sessionInserts.put(session.id(), session);
    }
    for (Grant grant : changes.grantsAdded()) {
      grantInserts.put(GrantKey.of(grant), grant);
    }
    events.addAll(changes.events());
    for (LockDelay delay : changes.delaysSet()) {
      delays.put(delay.lock().value(), delay);
    }
    counter = changes.counter();
  }
}
