package dev.lockstep.lock.events;

import dev.lockstep.api.LockEvent;
import java.util.Objects;

/**
 * Which events a watcher wants: those of one lock ({@code ?name=}), or of every lock whose name
 * starts with a prefix ({@code ?prefix=}, empty for all). Events that name no lock ({@code
 * session-expired}) go only to watchers of everything.
 */
public record EventFilter(String prefix, String name) {
  public EventFilter {
    if ((prefix == null) == (name == null)) {
      throw new IllegalArgumentException("exactly one of prefix and name");
    }
  }

  public static EventFilter everything() {
    return new EventFilter("", null);
  }

  public static EventFilter prefix(String prefix) {
    return new EventFilter(Objects.requireNonNull(prefix, "prefix"), null);
  }

  public static EventFilter name(String name) {
    return new EventFilter(null, Objects.requireNonNull(name, "name"));
  }

  public boolean matches(LockEvent event) {
    if (event.lock() == null) {
      return "".equals(prefix);
    }
    return name != null ? name.equals(event.lock()) : event.lock().startsWith(prefix);
  }
}
