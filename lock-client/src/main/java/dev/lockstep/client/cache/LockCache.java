package dev.lockstep.client.cache;

import dev.lockstep.api.HolderView;
import dev.lockstep.api.LockEvent;
import dev.lockstep.api.LockList;
import dev.lockstep.api.LockView;
import dev.lockstep.api.WaiterView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A copy of every held or queued lock under a prefix, kept current by the event stream. It is
 * loaded once from {@code GET /locks?prefix=} at revision R; events after R then update it, so a
 * status query needs no HTTP call and no session. It answers only while it is current: after a
 * stream break it is invalid until the stream is back (the events it missed are replayed by
 * revision) or, after a reset, until it is loaded again.
 */
public final class LockCache {
  private final String prefix;
  private final Map<String, LockView> locks = new ConcurrentHashMap<>();
  private volatile boolean loaded;
  private volatile boolean streaming;
  private volatile long revision;

  public LockCache(String prefix) {
    this.prefix = prefix;
  }

  /** Replaces the contents with a full read. */
  public synchronized void load(LockList list) {
    locks.clear();
    for (LockView view : list.locks()) {
      if (view.name().startsWith(prefix)) {
        locks.put(view.name(), view);
      }
    }
    revision = list.revision();
    loaded = true;
  }

  public long revision() {
    return revision;
  }

  public void streaming(boolean live) {
    streaming = live;
  }

  /** The contents are stale (a reset): invalid until the next load. */
  public void invalidate() {
    loaded = false;
  }

  public boolean isCurrent() {
    return loaded && streaming;
  }

  /** The lock's state when the cache can answer for it: it is current and covers the name. */
  public Optional<LockView> status(String name) {
    if (!isCurrent() || !name.startsWith(prefix)) {
      return Optional.empty();
    }
    LockView view = locks.get(name);
    return Optional.of(
        view != null
            ? view
            : new LockView(name, LockView.FREE, null, List.of(), List.of(), revision, null));
  }

  /** Applies one event; events at or before the loaded revision are already in the contents. */
  public synchronized void apply(LockEvent event) {
    if (event.revision() <= revision || event.lock() == null || !event.lock().startsWith(prefix)) {
      revision = Math.max(revision, event.revision());
      return;
    }
    revision = event.revision();
    LockView before = locks.get(event.lock());
    List<HolderView> holders =
        before == null ? new ArrayList<>() : new ArrayList<>(before.holders());
    List<WaiterView> waiters =
        before == null ? new ArrayList<>() : new ArrayList<>(before.waiters());
    String mode = before == null ? null : before.mode();
    switch (event.kind()) {
      case ACQUIRED -> {
        waiters.removeIf(w -> w.session().equals(event.session()));
        holders.removeIf(h -> h.session().equals(event.session()));
        holders.add(
            new HolderView(
                event.session(),
                event.owner(),
                event.fencingToken() == null ? 0 : event.fencingToken(),
                event.at()));
        mode = event.mode();
      }
      case RELEASED, EXPIRED -> holders.removeIf(h -> h.session().equals(event.session()));
      case QUEUED -> waiters.add(new WaiterView(event.session(), event.mode(), event.at()));
      case DEQUEUED -> waiters.removeIf(w -> w.session().equals(event.session()));
      case SESSION_EXPIRED -> {}
    }
    if (holders.isEmpty() && waiters.isEmpty()) {
      locks.remove(event.lock());
      return;
    }
    locks.put(
        event.lock(),
        new LockView(
            event.lock(),
            holders.isEmpty() ? LockView.FREE : LockView.HELD,
            holders.isEmpty() ? null : mode,
            holders,
            waiters,
            event.revision(),
            null));
  }
}
