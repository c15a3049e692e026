package dev.lockstep.lock.persistence;

import dev.lockstep.api.LockEvent;
import dev.lockstep.api.LockName;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.LockDelay;
import dev.lockstep.lock.table.SessionSnapshot;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what a start finds: the tables as the last checkpoint wrote them, with the journal's
 * records since replayed on top, in memory. The journal is read before the tables, so that a
 * checkpoint that commits between the two reads only makes the replay redo what the tables already
 * hold, which gives the same state (see {@link NormalizedTables}). Reading changes nothing: a
 * server that is no longer the active one may still load.
 */
final class StateLoader {
  /** What was loaded, and the last journal record replayed (0 when there was none). */
  record Loaded(StoredState state, long lastSeq, int records) {}

  private final int eventsKept;

  StateLoader(int eventsKept) {
    this.eventsKept = eventsKept;
  }

  Loaded load(EntityManager em) {
    List<JournalEntity> records =
        em.createQuery("select j from JournalEntity j order by j.seq", JournalEntity.class)
            .getResultList();
    NetChanges journal = new NetChanges();
    for (JournalEntity record : records) {
      journal.addLater(JournalCodec.decode(record.changes));
    }
    long lastSeq = records.isEmpty() ? 0 : records.get(records.size() - 1).seq;
    em.clear();

    CounterEntity counter = em.find(CounterEntity.class, CounterEntity.ONLY_ROW);
    long last = Math.max(counter == null ? 0 : counter.lastValue, journal.counter);
    Map<String, SessionSnapshot> sessions = new LinkedHashMap<>();
    for (SessionEntity row :
        em.createQuery("select s from SessionEntity s", SessionEntity.class).getResultList()) {
      sessions.put(row.id, StoredRows.toSnapshot(row));
    }
    sessions.keySet().removeAll(journal.sessionDeletes);
    sessions.putAll(journal.sessionInserts);
    Map<NetChanges.GrantKey, Grant> grants = new LinkedHashMap<>();
    for (GrantEntity row :
        em.createQuery("select g from GrantEntity g", GrantEntity.class).getResultList()) {
      Grant grant = StoredRows.toGrant(row);
      grants.put(NetChanges.GrantKey.of(grant), grant);
    }
    grants.keySet().removeAll(journal.grantDeletes);
    grants.putAll(journal.grantInserts);
    List<LockEvent> events = events(em, last, journal.events);
    long forgottenUpTo = Math.max(0, last - eventsKept);
    if (!events.isEmpty()) {
      // Revisions before the first stored event may have been trimmed: never claim to have them.
      forgottenUpTo = Math.max(forgottenUpTo, events.get(0).revision() - 1);
    } else {
      forgottenUpTo = last;
    }
    Map<String, LockDelay> delays = new LinkedHashMap<>();
    for (LockDelayEntity d :
        em.createQuery("select d from LockDelayEntity d", LockDelayEntity.class).getResultList()) {
      delays.put(
          d.lockName,
          new LockDelay(new LockName(d.lockName), Instant.ofEpochMilli(d.blockedUntilMillis)));
    }
    delays.putAll(journal.delays);
    em.clear();
    StoredState state =
        new StoredState(
            last,
            List.copyOf(sessions.values()),
            List.copyOf(grants.values()),
            events,
            forgottenUpTo,
            List.copyOf(delays.values()));
    return new Loaded(state, lastSeq, records.size());
  }

  /** The kept events: the tables' below the journal's first, then the journal's, in order. */
  private List<LockEvent> events(EntityManager em, long last, List<LockEvent> journal) {
    long cut = Math.max(0, last - eventsKept);
    long below = journal.isEmpty() ? Long.MAX_VALUE : journal.get(0).revision();
    List<LockEvent> events = new ArrayList<>();
    for (EventEntity row :
        em.createQuery(
                "select e from EventEntity e where e.revision > :cut and e.revision < :below"
                    + " order by e.revision",
                EventEntity.class)
            .setParameter("cut", cut)
            .setParameter("below", below)
            .getResultList()) {
      events.add(StoredRows.toEvent(row));
    }
    for (LockEvent event : journal) {
      if (event.revision() > cut) {
        events.add(event);
      }
    }
    return events;
  }
}
