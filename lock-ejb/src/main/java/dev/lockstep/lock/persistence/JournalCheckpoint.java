package dev.lockstep.lock.persistence;

import dev.lockstep.lock.lease.JdbcLeaseStore;
import dev.lockstep.lock.lease.LeaseLostException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves the journal into the tables: reads the records, writes their folded net effect into the
 * tables and deletes them, in one transaction, so that a checkpoint that fails or is cut short by a
 * crash leaves the journal as it was, to be replayed. In the background after every so many
 * commits, on a thread of its own with an entity manager of its own, so no commit waits for it; and
 * in the foreground when the store loads (the replay) and closes. Checkpoints never overlap.
 */
final class JournalCheckpoint {
  private static final Logger LOG = Logger.getLogger(JournalCheckpoint.class.getName());

  /** Records read per transaction: bounds the memory of a replay after a long outage. */
  static final int RECORDS_PER_CHECKPOINT = 4096;

  private final EntityManagerFactory factory;
  private final BiConsumer<EntityManager, NetChanges> tables;
  private final AtomicBoolean queued = new AtomicBoolean();
  private final ExecutorService background =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "lockstep-checkpoint");
            thread.setDaemon(true);
            return thread;
          });

  /** {@code tables} writes a fold of records into the tables, in the transaction it is given. */
  JournalCheckpoint(EntityManagerFactory factory, BiConsumer<EntityManager, NetChanges> tables) {
    this.factory = factory;
    this.tables = tables;
  }

  /** Starts a checkpoint in the background, unless one is already waiting to start. */
  void schedule(OptionalLong epoch) {
    if (queued.compareAndSet(false, true)) {
      try {
        background.execute(
            () -> {
              queued.set(false);
              try {
                runOnce(epoch);
              } catch (RuntimeException e) {
                // The journal is left as it was: the next checkpoint, or the next start, writes it.
                LOG.log(Level.WARNING, "checkpoint failed; the journal keeps its records", e);
              }
            });
      } catch (RejectedExecutionException e) {
        // The store is closing: its last checkpoint runs in the foreground.
        queued.set(false);
      }
    }
  }

  /**
   * Checkpoints everything in the journal now, in as many transactions as it takes; returns the
   * last sequence number written, or 0 when the journal was empty.
   */
  synchronized long runAll(OptionalLong epoch) {
    long last = 0;
    for (long seq = runOnce(epoch); seq > 0; seq = runOnce(epoch)) {
      last = seq;
    }
    return last;
  }

  /**
   * One checkpoint of up to {@link #RECORDS_PER_CHECKPOINT} records, refused when the lease was
   * taken over; returns the last sequence number written, or 0 when the journal was empty.
   */
  synchronized long runOnce(OptionalLong epoch) {
    EntityManager em = factory.createEntityManager();
    EntityTransaction tx = em.getTransaction();
    try {
      tx.begin();
      checkEpoch(em, epoch);
      List<JournalEntity> records =
          em.createQuery("select j from JournalEntity j order by j.seq", JournalEntity.class)
              .setMaxResults(RECORDS_PER_CHECKPOINT)
              .getResultList();
      if (records.isEmpty()) {
        tx.commit();
        return 0;
      }
      NetChanges net = new NetChanges();
      for (JournalEntity record : records) {
        net.addLater(JournalCodec.decode(record.changes));
      }
      long last = records.get(records.size() - 1).seq;
      em.clear();
      tables.accept(em, net);
      em.createQuery("delete from JournalEntity j where j.seq <= :last")
          .setParameter("last", last)
          .executeUpdate();
      tx.commit();
      return last;
    } catch (RuntimeException e) {
      if (tx.isActive()) {
        tx.rollback();
      }
      throw e;
    } finally {
      em.close();
    }
  }

  /** As a commit does: a server that lost the lease must not write the tables either. */
  static void checkEpoch(EntityManager em, OptionalLong epoch) {
    if (epoch.isPresent()) {
      long found =
          ((Number) em.createNativeQuery(JdbcLeaseStore.GUARD_SQL).getSingleResult()).longValue();
      if (found != epoch.getAsLong()) {
        throw new LeaseLostException(epoch.getAsLong(), found);
      }
    }
  }

  /** Runs {@code read} while no checkpoint of this store runs. */
  synchronized <T> T whileStopped(Supplier<T> read) {
    return read.get();
  }

  /** Waits for a checkpoint under way and starts no other in the background. */
  void stop() {
    background.shutdown();
    try {
      if (!background.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warning(
            "a checkpoint still runs after 30 s; the journal keeps what it has not written");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
