package dev.lockstep.lock.events;

import dev.lockstep.api.LockEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fans events out to the watchers whose filter matches. Watchers are indexed by exact name and by
 * prefix, and an event looks up only the prefixes of its own lock name, so the cost of an event
 * grows with its name's length and the watchers it reaches, not with all watchers. Not thread-safe:
 * {@link Watches} publishes and subscribes under its monitor.
 */
public final class EventHub {
  private final Map<String, Set<Watcher>> byName = new HashMap<>();
  private final Map<String, Set<Watcher>> byPrefix = new HashMap<>();
  private final Map<Watcher, EventFilter> filters = new HashMap<>();

  /** Lengths of the prefixes watched, with how many prefixes have each: the only ones to try. */
  private final java.util.TreeMap<Integer, Integer> prefixLengths = new java.util.TreeMap<>();

  public void subscribe(EventFilter filter, Watcher watcher) {
    if (filters.putIfAbsent(watcher, filter) != null) {
      throw new IllegalStateException("watcher already subscribed");
    }
    Set<Watcher> set = index(filter).computeIfAbsent(key(filter), k -> new LinkedHashSet<>());
    if (set.isEmpty() && filter.prefix() != null) {
      prefixLengths.merge(filter.prefix().length(), 1, Integer::sum);
    }
    set.add(watcher);
  }

  public void unsubscribe(Watcher watcher) {
    EventFilter filter = filters.remove(watcher);
    if (filter == null) {
      return;
    }
    Map<String, Set<Watcher>> index = index(filter);
    Set<Watcher> set = index.get(key(filter));
    if (set != null) {
      set.remove(watcher);
      if (set.isEmpty()) {
        index.remove(key(filter));
        if (filter.prefix() != null) {
          prefixLengths.computeIfPresent(filter.prefix().length(), (k, n) -> n == 1 ? null : n - 1);
        }
      }
    }
  }

  /** Drops every watcher, as when the server stops being the active one: they resume elsewhere. */
  public void dropAll() {
    for (Watcher watcher : new ArrayList<>(filters.keySet())) {
      unsubscribe(watcher);
      watcher.dropped();
    }
  }

  public int watcherCount() {
    return filters.size();
  }

  /** Offers each event, in order, to every matching watcher; drops those that fall behind. */
  public void publish(List<LockEvent> events) {
    if (filters.isEmpty()) {
      return;
    }
    Set<Watcher> behind = new LinkedHashSet<>();
    for (LockEvent event : events) {
      for (Watcher watcher : matching(event)) {
        if (!behind.contains(watcher) && !watcher.offer(event)) {
          behind.add(watcher);
        }
      }
    }
    for (Watcher watcher : behind) {
      unsubscribe(watcher);
      watcher.dropped();
    }
  }

  private List<Watcher> matching(LockEvent event) {
    List<Watcher> found = new ArrayList<>();
    String lock = event.lock();
    if (lock == null) {
      found.addAll(byPrefix.getOrDefault("", Set.of()));
      return found;
    }
    found.addAll(byName.getOrDefault(lock, Set.of()));
    if (byPrefix.isEmpty()) {
      return found;
    }
    for (int length : prefixLengths.headMap(lock.length(), true).keySet()) {
      Set<Watcher> set = byPrefix.get(lock.substring(0, length));
      if (set != null) {
        found.addAll(set);
      }
    }
    return found;
  }

  private Map<String, Set<Watcher>> index(EventFilter filter) {
    return filter.name() != null ? byName : byPrefix;
  }

  private static String key(EventFilter filter) {
    return filter.name() != null ? filter.name() : filter.prefix();
  }
}
