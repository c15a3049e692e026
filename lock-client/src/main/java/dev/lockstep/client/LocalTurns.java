package dev.lockstep.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One turn at a time per lock name within a client. The server's lock belongs to the session,
 * and every thread of the process shares the client's one session: without this, two threads
 * would both "acquire" a lock the session already holds (a re-acquire is idempotent on the
 * server) and work under it at once. Turns are fair (FIFO) and not tied to a thread, like the
 * locks themselves; an entry lives only while some thread holds or waits for its turn.
 */
final class LocalTurns {
  /** A name's turn, held from a successful {@link #take} until {@link #give}. */
  static final class Turn {
    private final Semaphore permit = new Semaphore(1, true);
    private int users;
  }

  private final Map<String, Turn> turns = new HashMap<>();

  /** Waits up to {@code timeout} for the name's turn; null when it did not come in time. */
  Turn take(String name, Duration timeout) throws InterruptedException {
    Turn turn;
    synchronized (this) {
      turn = turns.computeIfAbsent(name, n -> new Turn());
      turn.users++;
    }
    boolean taken = false;
    try {
      taken = turn.permit.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return taken ? turn : null;
    } finally {
      if (!taken) {
        leave(name, turn);
      }
    }
  }

  void give(String name, Turn turn) {
    turn.permit.release();
    leave(name, turn);
  }

  private synchronized void leave(String name, Turn turn) {
    if (--turn.users == 0) {
      turns.remove(name);
    }
  }
}
