package dev.lockstep.lock.persistence;

import dev.lockstep.api.LockEvent;
import dev.lockstep.api.LockName;
import dev.lockstep.lock.lease.JdbcLeaseStore;
import dev.lockstep.lock.lease.LeaseLostException;
import dev.lockstep.lock.table.Changes;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.LockDelay;
import dev.lockstep.lock.table.SessionSnapshot;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Stores the lock table through JPA: sessions, grants and the counter, each operation's changes in
 * one transaction. Not thread-safe: the singleton that owns the lock table calls it.
 *
 * <p>The persistence unit lives in {@code META-INF/lockstep-persistence.xml}, not {@code
 * persistence.xml}, so the container does not deploy it as a JTA unit of its own: the lock service
 * opens it itself, with the URL of its configuration, as a resource-local unit.
 */
public final class JpaLockStore implements LockStore {

  /** Events are trimmed in steps of this many revisions, not after every change. */
  private static final long TRIM_STEP = 1024;

  private final EntityManagerFactory factory;
  private final EntityManager em;
  private final int eventsKept;
  private final boolean syncAfterCommit;

  private JpaLockStore(EntityManagerFactory factory, int eventsKept, boolean syncAfterCommit) {
    this.factory = factory;
    this.eventsKept = eventsKept;
    this.syncAfterCommit = syncAfterCommit;
    this.em = factory.createEntityManager();
    ensureCounterRow();
  }

  /** The counter row exists from the first start on, so that each change is one UPDATE of it. */
  private void ensureCounterRow() {
    if (em.find(CounterEntity.class, CounterEntity.ONLY_ROW) == null) {
      EntityTransaction tx = em.getTransaction();
      tx.begin();
      em.persist(new CounterEntity(0));
      tx.commit();
    }
    em.clear();
  }

  /** Opens the store; it keeps the last {@code eventsKept} events for watchers to resume from. */
  public static JpaLockStore open(StoreSettings settings, int eventsKept) {
    if (settings.jdbcUrl().isEmpty()) {
      try {
        Files.createDirectories(settings.dataDir());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create data directory " + settings.dataDir(), e);
      }
    }
    Map<String, Object> properties = new HashMap<>();
    properties.put("eclipselink.persistencexml", "META-INF/lockstep-persistence.xml");
    properties.put("jakarta.persistence.jdbc.url", settings.effectiveUrl());
    settings.user().ifPresent(u -> properties.put("jakarta.persistence.jdbc.user", u));
    settings.password().ifPresent(p -> properties.put("jakarta.persistence.jdbc.password", p));
    properties.put("jakarta.persistence.jdbc.driver", driverFor(settings.effectiveUrl()));
    // The lock service's own class loader holds the entities and the XML, also inside a WAR.
    properties.put("eclipselink.classloader", JpaLockStore.class.getClassLoader());
    EntityManagerFactory factory = Persistence.createEntityManagerFactory("lockstep", properties);
    return new JpaLockStore(factory, eventsKept, settings.needsSyncAfterCommit());
  }

  /** Opens the store with the default event history of 100 000 events. */
  public static JpaLockStore open(StoreSettings settings) {
    return open(settings, 100_000);
  }

  /**
   * The JDBC driver class that accepts {@code url}, found through this library's class loader.
   * Inside a container, DriverManager registers only the drivers its own class loader sees, not
   * those in the WAR; naming the class lets EclipseLink load it from the application.
   */
  public static String driverFor(String url) {
    for (java.sql.Driver driver :
        java.util.ServiceLoader.load(java.sql.Driver.class, JpaLockStore.class.getClassLoader())) {
      try {
        if (driver.acceptsURL(url)) {
          return driver.getClass().getName();
        }
      } catch (java.sql.SQLException e) {
        // this driver cannot tell: try the next
      }
    }
    throw new IllegalStateException(
        "no JDBC driver on the class path accepts "
            + url.replaceAll("password=[^;&]*", "password=***"));
  }

  @Override
  public synchronized StoredState load() {
    EntityTransaction tx = em.getTransaction();
    tx.begin();
    em.createQuery("delete from LockDelayEntity d where d.blockedUntilMillis < :now")
        .setParameter("now", System.currentTimeMillis())
        .executeUpdate();
    tx.commit();
    return read();
  }

  /**
   * Reads every table as {@link #load} does, changing nothing, and forgets what it read: a
   * standby's warm-up, so that the queries are prepared, the connection open and the row
   * conversions compiled before a takeover has to load for real. Returns the rows' count.
   */
  public synchronized int warm() {
    StoredState read = read();
    return read.sessions().size() + read.grants().size() + read.events().size();
  }

  private StoredState read() {
    CounterEntity counter = em.find(CounterEntity.class, CounterEntity.ONLY_ROW);
    List<SessionSnapshot> sessions =
        em
            .createQuery("select s from SessionEntity s", SessionEntity.class)
            .getResultList()
            .stream()
            .map(StoredRows::toSnapshot)
            .toList();
    List<Grant> grants =
        em.createQuery("select g from GrantEntity g", GrantEntity.class).getResultList().stream()
            .map(StoredRows::toGrant)
            .toList();
    long last = counter == null ? 0 : counter.lastValue;
    long forgottenUpTo = Math.max(0, last - eventsKept);
    List<LockEvent> events =
        em
            .createQuery(
                "select e from EventEntity e where e.revision > :cut order by e.revision",
                EventEntity.class)
            .setParameter("cut", forgottenUpTo)
            .getResultList()
            .stream()
            .map(StoredRows::toEvent)
            .toList();
    if (!events.isEmpty()) {
      // Revisions before the first stored event may have been trimmed: never claim to have them.
      forgottenUpTo = Math.max(forgottenUpTo, events.get(0).revision() - 1);
    } else {
      forgottenUpTo = last;
    }
    List<LockDelay> delays =
        em
            .createQuery("select d from LockDelayEntity d", LockDelayEntity.class)
            .getResultList()
            .stream()
            .map(
                d ->
                    new LockDelay(
                        new LockName(d.lockName), Instant.ofEpochMilli(d.blockedUntilMillis)))
            .toList();
    em.clear();
    return new StoredState(last, sessions, grants, events, forgottenUpTo, delays);
  }

  /** Stores one operation's changes atomically; returns only once they are durable. */
  public void apply(Changes changes) {
    apply(List.of(changes));
  }

  /**
   * Stores the changes of several operations, in the order they were made, in one transaction;
   * returns only once they are durable. Only their net effect is written: see {@link NetChanges}.
   */
  @Override
  public void apply(List<Changes> batch) {
    apply(batch, OptionalLong.empty());
  }

  /**
   * As {@link #apply(List)}, for the active server of a group, which took the lease at {@code
   * epoch}: the commit first reads the leader row's epoch in its own transaction, under a share
   * lock, and rolls back with a {@link LeaseLostException} when it is another. See {@link
   * GuardedStore}.
   */
  public void applyAt(long epoch, List<Changes> batch) {
    apply(batch, OptionalLong.of(epoch));
  }

  // Synchronized: a group's server keeps one store over its terms, and a deposed term's last
  // commit may still be under way when the next term loads.
  private synchronized void apply(List<Changes> batch, OptionalLong epoch) {
    if (batch.isEmpty()) {
      return;
    }
    NetChanges net = NetChanges.of(batch);
    EntityTransaction tx = em.getTransaction();
    tx.begin();
    try {
      checkEpoch(epoch);
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
        em.persist(StoredRows.toEntity(session));
      }
      for (Grant grant : net.grantInserts.values()) {
        em.persist(StoredRows.toEntity(grant));
      }
      for (LockEvent event : net.events) {
        em.persist(StoredRows.toEntity(event));
      }
      for (LockDelay delay : net.delays.values()) {
        // Rows of passed delays are only overwritten, never read back as in force: the table
        // ignores a delay whose time has passed when it restores.
        LockDelayEntity row = new LockDelayEntity();
        row.lockName = delay.lock().value();
        row.blockedUntilMillis = delay.until().toEpochMilli();
        em.merge(row);
      }
      if (net.counterBefore / TRIM_STEP != net.counter / TRIM_STEP && net.counter > eventsKept) {
        em.createQuery("delete from EventEntity e where e.revision <= :cut")
            .setParameter("cut", net.counter - eventsKept)
            .executeUpdate();
      }
      em.createQuery("update CounterEntity c set c.lastValue = :value where c.id = :id")
          .setParameter("value", net.counter)
          .setParameter("id", CounterEntity.ONLY_ROW)
          .executeUpdate();
      tx.commit();
    } catch (RuntimeException e) {
      if (tx.isActive()) {
        tx.rollback();
      }
      throw e;
    } finally {
      em.clear();
    }
    syncIfNeeded();
  }

  /** Refuses the commit, which then rolls back, when another server took the lease over. */
  private void checkEpoch(OptionalLong epoch) {
    if (epoch.isPresent()) {
      long found =
          ((Number) em.createNativeQuery(JdbcLeaseStore.GUARD_SQL).getSingleResult()).longValue();
      if (found != epoch.getAsLong()) {
        throw new LeaseLostException(epoch.getAsLong(), found);
      }
    }
  }

  /**
   * H2 writes a commit to the file but never forces it to the device: a power loss could take an
   * answered grant. {@code CHECKPOINT SYNC} forces the file (fsync), as ZooKeeper and etcd do with
   * their logs; a server database (PostgreSQL) does so in its own commit. One force serves a whole
   * batch, which is what makes it affordable.
   */
  private void syncIfNeeded() {
    if (!syncAfterCommit) {
      return;
    }
    EntityTransaction tx = em.getTransaction();
    tx.begin();
    try {
      em.createNativeQuery("CHECKPOINT SYNC").executeUpdate();
      tx.commit();
    } catch (RuntimeException e) {
      if (tx.isActive()) {
        tx.rollback();
      }
      throw e;
    }
  }

  @Override
  public void close() {
    if (em.isOpen()) {
      em.close();
    }
    if (factory.isOpen()) {
      factory.close();
    }
  }
}
