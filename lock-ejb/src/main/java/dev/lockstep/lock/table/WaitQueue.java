package dev.lockstep.lock.table;

import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;

/**
 * One lock's line of queued requests, strictly first come first served: nobody passes a waiting
 * head, so writers do not starve behind a stream of readers.
 *
 * <p>A request stands in three places at once: this line, the table's {@link WaitIndex} (by id and
 * by deadline) and its session's own waits (one per lock). Every change to a line goes through
 * {@link #add}, {@link #remove} and {@link #retake}, which keep all three in step, so that no
 * caller can update one and forget another.
 */
final class WaitQueue implements Iterable<Waiter> {
  // A LinkedHashSet keeps queue order and removes a waiter from the middle in O(1).
  private final LinkedHashSet<Waiter> line = new LinkedHashSet<>();
  private final WaitIndex index;

  WaitQueue(WaitIndex index) {
    this.index = index;
  }

  /** Puts the waiter at the back of the line; a session waits at most once per lock. */
  void add(Waiter waiter) {
    if (waiter.session.waits.containsKey(waiter.lock)) {
      throw new IllegalStateException(
          "session " + waiter.session.id + " already waits for " + waiter.lock);
    }
    index.add(waiter);
    line.add(waiter);
    waiter.session.waits.put(waiter.lock, waiter);
  }

  /** Takes the waiter out of the line, wherever it stands: granted, withdrawn or ended. */
  void remove(Waiter waiter) {
    if (!line.remove(waiter)) {
      throw new IllegalStateException("waiter " + waiter.id + " is not in this line");
    }
    index.remove(waiter);
    waiter.session.waits.remove(waiter.lock);
  }

  /** A retry of the same request takes over its place in line with its own owner and deadline. */
  void retake(Waiter waiter, String owner, String request, Instant deadline) {
    if (!line.contains(waiter)) {
      throw new IllegalStateException("waiter " + waiter.id + " is not in this line");
    }
    index.reschedule(waiter, deadline);
    waiter.owner = owner;
    waiter.request = request;
  }

  /** The request that is granted next, once the holders admit it. */
  Optional<Waiter> head() {
    return line.isEmpty() ? Optional.empty() : Optional.of(line.iterator().next());
  }

  /** Where the waiter stands, 1 for the head. */
  int positionOf(Waiter waiter) {
    int position = 1;
    for (Waiter w : line) {
      if (w == waiter) {
        return position;
      }
      position++;
    }
    throw new IllegalStateException("waiter " + waiter.id + " is not in this line");
  }

  int size() {
    return line.size();
  }

  boolean isEmpty() {
    return line.isEmpty();
  }

  /** Head first; read-only, because changes must go through this class. */
  @Override
  public Iterator<Waiter> iterator() {
    return Collections.unmodifiableSet(line).iterator();
  }
}
