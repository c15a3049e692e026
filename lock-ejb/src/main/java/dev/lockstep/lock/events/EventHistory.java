package dev.lockstep.lock.events;

import dev.lockstep.api.LockEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The last {@code capacity} events in revision order, for watchers that resume with {@code
 * Last-Event-ID}. Not thread-safe: {@link Watches} appends under its monitor.
 */
public final class EventHistory {
  private final int capacity;
  private final ArrayDeque<LockEvent> events;

  /** Revisions up to here are known to be gone (trimmed, or before what was loaded). */
  private long forgottenUpTo;

  public EventHistory(int capacity, long forgottenUpTo) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.events = new ArrayDeque<>(Math.min(capacity, 1 << 16));
    this.forgottenUpTo = forgottenUpTo;
  }

  public void append(List<LockEvent> batch) {
    for (LockEvent event : batch) {
      LockEvent last = events.peekLast();
      if (last != null && event.revision() <= last.revision()) {
        throw new IllegalArgumentException(
            "events must come in revision order: "
                + event.revision()
                + " after "
                + last.revision());
      }
      events.addLast(event);
      if (events.size() > capacity) {
        forgottenUpTo = events.removeFirst().revision();
      }
    }
  }

  /**
   * The matching events after {@code revision}, oldest first; empty when some of them are no longer
   * kept, and the watcher must re-read the state instead.
   */
  public Optional<List<LockEvent>> after(long revision, EventFilter filter) {
    if (revision < forgottenUpTo) {
      return Optional.empty();
    }
    List<LockEvent> found = new ArrayList<>();
    Iterator<LockEvent> newestFirst = events.descendingIterator();
    while (newestFirst.hasNext()) {
      LockEvent event = newestFirst.next();
      if (event.revision() <= revision) {
        break;
      }
      if (filter.matches(event)) {
        found.add(event);
      }
    }
    java.util.Collections.reverse(found);
    return Optional.of(found);
  }

  public int size() {
    return events.size();
  }

  public int capacity() {
    return capacity;
  }
}
