package dev.lockstep.lock;

import dev.lockstep.lock.table.Changes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stores the lock table's changes in batches while keeping every answer durable. Operations are
 * enqueued in the order they were applied to the table; a caller then waits until its ticket is
 * stored. Whichever waiting caller finds no commit under way stores everything queued so far in one
 * transaction (leader/follower group commit, as in MySQL's binlog or PostgreSQL's commit_delay): N
 * concurrent operations pay for one commit, no thread of its own hands work over, and an idle
 * server commits each operation at once.
 *
 * <p>After a batch is stored, its deliveries go to {@code afterStored} in enqueue order on the
 * committing thread, before any of its callers is answered: that is where events are published and
 * ended waits handed out to be told, so nobody hears of a change that a crash could undo. A batch
 * that could not be stored is not handed on at all.
 */
final class GroupCommit {
  private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());
  private final Consumer<List<Changes>> store;
  private final Consumer<List<Delivery>> afterStored;
  private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
  private long lastEnqueued;
  private long lastSettled;

  /** Whether a caller is storing a batch now; at most one is. */
  private boolean committing;

  /**
   * {@code store} writes a batch in one transaction and returns once it is durable; {@code
   * afterStored} is given each stored batch's deliveries.
   */
  GroupCommit(Consumer<List<Changes>> store, Consumer<List<Delivery>> afterStored) {
    this.store = store;
    this.afterStored = afterStored;
  }

  /** One operation's place in line. */
  static final class Ticket {
    private final long seq;
    private final Delivery delivery;
    private volatile RuntimeException failure;

    private Ticket(long seq, Delivery delivery) {
      this.seq = seq;
      this.delivery = delivery;
    }
  }

  /** Queues an operation's changes. Callers enqueue in the order they changed the table. */
  synchronized Ticket enqueue(Delivery delivery) {
    Ticket ticket = new Ticket(++lastEnqueued, delivery);
    queue.addLast(ticket);
    return ticket;
  }

  /** The newest ticket's number: a reader waits for it before answering what it read. */
  synchronized long lastEnqueued() {
    return lastEnqueued;
  }

  /**
   * Returns once the ticket is stored and its batch handed on; throws what the store threw when its
   * batch could not be stored.
   */
  void await(Ticket ticket) {
    awaitSettled(ticket.seq);
    if (ticket.failure != null) {
      throw ticket.failure;
    }
  }

  /**
   * Returns once every ticket up to {@code seq} is settled, stored or failed. While one caller
   * commits, the others wait on this monitor and queue up; when it is done, all wake at once and
   * one of those still unsettled commits everything queued meanwhile.
   */
  void awaitSettled(long seq) {
    boolean interrupted = false;
    while (true) {
      List<Ticket> batch;
      long upTo;
      synchronized (this) {
        while (lastSettled < seq && committing) {
          try {
            wait();
          } catch (InterruptedException e) {
            // A caller must not leave before its change is stored: that is what it waits for.
            interrupted = true;
          }
        }
        if (lastSettled >= seq) {
          break;
        }
        committing = true;
        batch = new ArrayList<>(queue);
        queue.clear();
        upTo = lastEnqueued; // the batch holds every ticket after lastSettled up to here
      }
      try {
        commit(batch);
      } finally {
        synchronized (this) {
          lastSettled = upTo;
          committing = false;
          notifyAll();
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stores a batch, then hands it on; or marks its tickets failed. */
  private void commit(List<Ticket> batch) {
    List<Changes> changes = new ArrayList<>(batch.size());
    List<Delivery> deliveries = new ArrayList<>(batch.size());
    for (Ticket ticket : batch) {
      deliveries.add(ticket.delivery);
      if (ticket.delivery.changes().touchesStore()) {
        changes.add(ticket.delivery.changes());
      }
    }
    RuntimeException failure = null;
    if (!changes.isEmpty()) {
      try {
        store.accept(changes);
      } catch (RuntimeException | Error e) {
        // An Error too: its batch's callers must hear of it rather than wait for good.
        failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
    }
    if (failure != null) {
      for (Ticket ticket : batch) {
        ticket.failure = failure;
      }
      return;
    }
    try {
      afterStored.accept(deliveries);
    } catch (RuntimeException e) {
      // The batch is stored: its callers are answered success whatever went wrong in telling.
      LOG.log(Level.WARNING, "telling of a stored batch failed", e);
    }
  }
}
