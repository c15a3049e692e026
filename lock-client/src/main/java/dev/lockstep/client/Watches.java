package dev.lockstep.client;

import dev.lockstep.api.LockEvent;
import dev.lockstep.client.stream.StreamListener;
import java.util.concurrent.CopyOnWriteArrayList;

/** The watches of one client, all fed by its one event stream. */
final class Watches implements StreamListener {
  private record Watch(String nameOrPrefix, boolean exact, LockListener listener) {
    boolean covers(LockEvent event) {
      if (event.lock() == null) {
        return !exact && nameOrPrefix.isEmpty();
      }
      return exact ? event.lock().equals(nameOrPrefix) : event.lock().startsWith(nameOrPrefix);
    }
  }

  private final CopyOnWriteArrayList<Watch> watches = new CopyOnWriteArrayList<>();

  Subscription add(String nameOrPrefix, boolean exact, LockListener listener) {
    Watch watch = new Watch(nameOrPrefix, exact, listener);
    watches.add(watch);
    return () -> watches.remove(watch);
  }

  @Override
  public void event(LockEvent event) {
    for (Watch watch : watches) {
      if (watch.covers(event)) {
        LockListener l = watch.listener();
        switch (event.kind()) {
          case ACQUIRED -> l.acquired(event);
          case RELEASED -> l.released(event);
          case EXPIRED -> l.expired(event);
          case QUEUED -> l.queued(event);
          case DEQUEUED -> l.dequeued(event);
          case SESSION_EXPIRED -> l.sessionExpired(event);
        }
      }
    }
  }

  @Override
  public void reset(long revision) {
    for (Watch watch : watches) {
      watch.listener().reset(revision);
    }
  }
}
