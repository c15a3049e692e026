package dev.lockstep.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One turn at a time per lock name within a client. The server's lock belongs to the session, and
 * every thread of the process shares the client's one session: without this, two threads would both
 * "acquire" a lock the session already holds (a re-acquire is idempotent on the server) and work
 * under it at once. Turns are fair (FIFO) and not tied to a thread, like the locks themselves; an
 * entry lives only while some thread holds or waits for its turn.
 *
 * <p>The thread that took a name's turn may acquire the name again without waiting (else it would
 * wait for itself forever): it re-enters the same turn, and gets a nested handle of the same grant
 * ({@link LockHold} counts them; the last one released ends the turn).
 */
final class LocalTurns {
  /** A name's turn: a fair permit, and who holds it. Guarded by the {@code LocalTurns}. */
  private static final class Turn {
    private final Semaphore permit = new Semaphore(1, true);
    private int users;
    private Thread holder;

    /** Counts the times the turn was taken, so that a stale ticket cannot end a later one. */
    private long taken;
  }

  /** A claim on one taking of a turn; {@link #end} gives the turn back, once. */
  final class Ticket {
    private final String name;
    private final Turn turn;
    private final long taking;
    private final boolean reentered;

    private Ticket(String name, Turn turn, long taking, boolean reentered) {
      this.name = name;
      this.turn = turn;
      this.taking = taking;
      this.reentered = reentered;
    }

    /** Whether this ticket re-entered a turn its thread already held. */
    boolean reentered() {
      return reentered;
    }

    /** Ends the turn this ticket belongs to, unless it ended already; safe to call twice. */
    void end() {
      give(this);
    }
  }

  private final Map<String, Turn> turns = new HashMap<>();

  /**
   * Waits up to {@code timeout} (empty: as long as it takes) for the name's turn; empty when it did
   * not come in time.
   */
  Optional<Ticket> take(String name, Optional<Duration> timeout) throws InterruptedException {
    Turn turn;
    synchronized (this) {
      turn = turns.computeIfAbsent(name, n -> new Turn());
      if (turn.holder == Thread.currentThread()) {
        return Optional.of(new Ticket(name, turn, turn.taken, true));
      }
      turn.users++;
    }
    boolean taken = false;
    try {
      if (timeout.isPresent()) {
        taken = turn.permit.tryAcquire(timeout.get().toNanos(), TimeUnit.NANOSECONDS);
      } else {
        turn.permit.acquire();
        taken = true;
      }
      if (!taken) {
        return Optional.empty();
      }
      synchronized (this) {
        turn.holder = Thread.currentThread();
        turn.taken++;
        return Optional.of(new Ticket(name, turn, turn.taken, false));
      }
    } finally {
      if (!taken) {
        leave(name, turn);
      }
    }
  }

  private synchronized void give(Ticket ticket) {
    Turn turn = ticket.turn;
    if (turn.holder == null || turn.taken != ticket.taking) {
      return; // ended already, by this ticket or by another handle of the same grant
    }
    turn.holder = null;
    turn.permit.release();
    leave(ticket.name, turn);
  }

  private synchronized void leave(String name, Turn turn) {
    if (--turn.users == 0) {
      turns.remove(name);
    }
  }
}
