package dev.lockstep.lock.table;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Every queued request of the table, by id (to cancel a wait whose client went away) and by
 * deadline (to end the waits that ran out). Only {@link WaitQueue} adds and removes, so a request
 * is here exactly while it stands in some lock's line.
 */
final class WaitIndex {
  private final Map<Long, Waiter> byId = new HashMap<>();
  private final TreeSet<Waiter> byDeadline =
      new TreeSet<>(Comparator.comparing((Waiter w) -> w.deadline).thenComparingLong(w -> w.id));
  private long lastId;

  /** A fresh waiter id; ids are never reused, so a late cancel cannot hit a newer wait. */
  long nextId() {
    return ++lastId;
  }

  Optional<Waiter> find(long waiterId) {
    return Optional.ofNullable(byId.get(waiterId));
  }

  /** The wait that runs out first; on equal deadlines the older request. */
  Optional<Waiter> firstDue() {
    return byDeadline.isEmpty() ? Optional.empty() : Optional.of(byDeadline.first());
  }

  int size() {
    return byId.size();
  }

  void add(Waiter waiter) {
    if (byId.putIfAbsent(waiter.id, waiter) != null) {
      throw new IllegalStateException("waiter " + waiter.id + " is already indexed");
    }
    byDeadline.add(waiter);
  }

  void remove(Waiter waiter) {
    if (byId.remove(waiter.id) == null) {
      throw new IllegalStateException("waiter " + waiter.id + " is not indexed");
    }
    byDeadline.remove(waiter);
  }

  /** Moves a waiter to a new deadline; the deadline is part of its sort key, so out and back in. */
  void reschedule(Waiter waiter, Instant deadline) {
    byDeadline.remove(waiter);
    waiter.deadline = deadline;
    byDeadline.add(waiter);
  }
}
