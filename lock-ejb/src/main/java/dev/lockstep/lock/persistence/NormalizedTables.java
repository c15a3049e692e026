package dev.lockstep.lock.persistence;

import dev.lockstep.api.LockEvent;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.SessionSnapshot;
import jakarta.persistence.EntityManager;

/**
 * Writes journal records' net changes into the tables a start-up loads (sessions, grants, events,
 * lock-delays, the counter), inside the caller's transaction. Writing the same changes twice leaves
 * the tables as writing them once: rows are merged, not inserted, the events of the changes'
 * revisions replaced and the counter only moved forward. That is what makes a replay safe whatever
 * a crash left done.
 */
final class NormalizedTables {
  private final int eventsKept;

  /** {@code eventsKept}: how many of the newest events the tables keep for watchers to resume. */
  NormalizedTables(int eventsKept) {
    this.eventsKept = eventsKept;
  }

  void write(EntityManager em, NetChanges net) {
    for (NetChanges.GrantKey grant : net.grantDeletes) {
      em.createQuery(
              "delete from GrantEntity g where g.lockName = :lock and g.sessionId = :session")
          .setParameter("lock", grant.lock())
          .setParameter("session", grant.session())
          .executeUpdate();
    }
    for (String sessionId : net.sessionDeletes) {
      em.createQuery("delete from SessionEntity s where s.id = :id")
          .setParameter("id", sessionId)
          .executeUpdate();
    }
    for (SessionSnapshot session : net.sessionInserts.values()) {
      em.merge(StoredRows.toEntity(session));
    }
    for (Grant grant : net.grantInserts.values()) {
      em.merge(StoredRows.toEntity(grant));
    }
    if (!net.events.isEmpty()) {
      // One range delete and plain inserts rather than a merge (a read) per event.
      em.createQuery("delete from EventEntity e where e.revision between :first and :last")
          .setParameter("first", net.events.get(0).revision())
          .setParameter("last", net.events.get(net.events.size() - 1).revision())
          .executeUpdate();
      for (LockEvent event : net.events) {
        em.persist(StoredRows.toEntity(event));
      }
    }
    net.delays
        .values()
        .forEach(
            // Rows of passed delays are only overwritten, never read back as in force: the table
            // ignores a delay whose time has passed when it restores.
            delay -> em.merge(StoredRows.toEntity(delay)));
    if (net.counter > eventsKept) {
      em.createQuery("delete from EventEntity e where e.revision <= :cut")
          .setParameter("cut", net.counter - eventsKept)
          .executeUpdate();
    }
    em.createQuery(
            "update CounterEntity c set c.lastValue = :value"
                + " where c.id = :id and c.lastValue < :value")
        .setParameter("value", net.counter)
        .setParameter("id", CounterEntity.ONLY_ROW)
        .executeUpdate();
  }
}
