package dev.lockstep.lock.persistence;

import dev.lockstep.lock.lease.LeaseLostException;
import dev.lockstep.lock.table.Changes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stores the lock table through JPA. Each group commit appends one row to the journal (the batch's
 * net changes, encoded by {@link JournalCodec}) and forces it once: one insert per commit however
 * many rows the batch touches, made by a {@link JournalAppender} with a prepared JDBC statement.
 * Every {@link #CHECKPOINT_EVERY} commits a {@link JournalCheckpoint} writes the journal into the
 * tables a start-up reads (sessions, grants, the counter, lock-delays, events) in the background
 * and trims it; {@link #load()} first replays what a crash left in the journal. Not thread-safe:
 * the singleton that owns the lock table calls it.
 *
 * <p>The persistence unit lives in {@code META-INF/lockstep-persistence.xml}, not {@code
 * persistence.xml}, so the container does not deploy it as a JTA unit of its own: the lock service
 * opens it itself, with the URL of its configuration, as a resource-local unit.
 */
public final class JpaLockStore implements LockStore {
  private static final Logger LOG = Logger.getLogger(JpaLockStore.class.getName());

  /**
   * Commits between checkpoints: the most records a restart after a crash replays, beyond those of
   * a checkpoint under way.
   */
  static final int CHECKPOINT_EVERY = 256;

  private final EntityManagerFactory factory;
  private final EntityManager em;
  private final JournalAppender appender;
  private final int checkpointEvery;
  private final JournalCheckpoint checkpoint;
  private final StateLoader loader;
  private long nextSeq;
  private int sinceCheckpoint;

  /** The epoch of the last commit, or none; empty also when this store has appended nothing. */
  private OptionalLong lastEpoch = OptionalLong.empty();

  private boolean appended;

  private JpaLockStore(
      EntityManagerFactory factory,
      int eventsKept,
      JournalAppender appender,
      int checkpointEvery,
      BiConsumer<EntityManager, NetChanges> tables) {
    this.factory = factory;
    this.appender = appender;
    this.checkpointEvery = checkpointEvery;
    this.em = factory.createEntityManager();
    this.checkpoint = new JournalCheckpoint(factory, tables);
    this.loader = new StateLoader(eventsKept);
    ensureCounterRow();
    Long lastSeq =
        em.createQuery("select max(j.seq) from JournalEntity j", Long.class).getSingleResult();
    nextSeq = lastSeq == null ? 1 : lastSeq + 1;
    em.clear();
  }

  /** The counter row exists from the first start on, so that a checkpoint only updates it. */
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
    NormalizedTables tables = new NormalizedTables(eventsKept);
    return open(settings, eventsKept, CHECKPOINT_EVERY, tables::write);
  }

  /**
   * As above, with a checkpoint every {@code checkpointEvery} commits that writes the tables with
   * {@code tables}: for the tests, which count the journal and make checkpoints fail or wait.
   */
  static JpaLockStore open(
      StoreSettings settings,
      int eventsKept,
      int checkpointEvery,
      BiConsumer<EntityManager, NetChanges> tables) {
    return new JpaLockStore(
        factory(settings), eventsKept, JournalAppender.of(settings), checkpointEvery, tables);
  }

  private static EntityManagerFactory factory(StoreSettings settings) {
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
    properties.put(
        "jakarta.persistence.jdbc.driver",
        JdbcConnector.driverFor(settings.effectiveUrl()).getClass().getName());
    // The lock service's own class loader holds the entities and the XML, also inside a WAR.
    properties.put("eclipselink.classloader", JpaLockStore.class.getClassLoader());
    return Persistence.createEntityManagerFactory("lockstep", properties);
  }

  /** Opens the store with the default event history of 100 000 events. */
  public static JpaLockStore open(StoreSettings settings) {
    return open(settings, 100_000);
  }

  /**
   * The tables as the last checkpoint left them, with the journal since replayed on top. Reads only
   * (but for dropping lock-delays that have passed): a deposed server may load too.
   */
  @Override
  public synchronized StoredState load() {
    EntityTransaction tx = em.getTransaction();
    tx.begin();
    em.createQuery("delete from LockDelayEntity d where d.blockedUntilMillis < :now")
        .setParameter("now", System.currentTimeMillis())
        .executeUpdate();
    tx.commit();
    // No checkpoint of this store's runs between the journal's read and the tables'.
    StateLoader.Loaded loaded = checkpoint.whileStopped(() -> loader.load(em));
    nextSeq = Math.max(nextSeq, loaded.lastSeq() + 1);
    // A start that found many records lets the first commit start a checkpoint.
    sinceCheckpoint = loaded.records();
    appended = false;
    return loaded.state();
  }

  /**
   * Reads the journal and every table as {@link #load} does, changing nothing, and forgets what it
   * read: a standby's warm-up, so that the queries are prepared, the connection open and the row
   * conversions compiled before a takeover has to load for real. Returns the rows' count.
   */
  public synchronized int warm() {
    StoredState read = checkpoint.whileStopped(() -> loader.load(em)).state();
    return read.sessions().size() + read.grants().size() + read.events().size();
  }

  /** Stores one operation's changes atomically; returns only once they are durable. */
  public void apply(Changes changes) {
    apply(List.of(changes));
  }

  /**
   * Stores the changes of several operations, in the order they were made, as one journal record;
   * returns only once it is durable. Only their net effect is written: see {@link NetChanges}.
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
    // The number is used up even when the commit fails: a commit whose outcome is unknown may have
    // stored it.
    JournalEntity record =
        new JournalEntity(nextSeq++, net.counterBefore + 1, net.counter, JournalCodec.encode(net));
    appender.append(record, epoch);
    appended = true;
    lastEpoch = epoch;
    if (++sinceCheckpoint >= checkpointEvery) {
      sinceCheckpoint = 0;
      checkpoint.schedule(epoch);
    }
  }

  /** How many records the journal holds: for the tests, which watch it grow and shrink. */
  synchronized long journalRecords() {
    long count =
        em.createQuery("select count(j) from JournalEntity j", Long.class).getSingleResult();
    em.clear();
    return count;
  }

  /**
   * Writes the journal into the tables now, in the foreground: for the tests, and for {@link
   * #close()}.
   */
  synchronized void checkpointNow() {
    checkpoint.runAll(lastEpoch);
  }

  /**
   * Closes the store after a last checkpoint, so that the next start has nothing to replay; only a
   * store that appended does one (a standby must not write the active's journal into the tables).
   */
  @Override
  public void close() {
    checkpoint.stop();
    synchronized (this) {
      if (appended && factory.isOpen()) {
        try {
          checkpoint.runAll(lastEpoch);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "last checkpoint failed; the next start replays the journal", e);
        }
      }
    }
    appender.close();
    if (em.isOpen()) {
      em.close();
    }
    if (factory.isOpen()) {
      factory.close();
    }
  }
}
