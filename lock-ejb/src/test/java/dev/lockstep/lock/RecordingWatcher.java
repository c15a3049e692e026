package dev.lockstep.lock;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.LockEvent;
import dev.lockstep.lock.events.Watcher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A watcher that keeps every event it is offered. */
final class RecordingWatcher implements Watcher {
  private final List<LockEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void start(List<LockEvent> replay, boolean reset, long revision) {
    events.addAll(replay);
  }

  @Override
  public boolean offer(LockEvent event) {
    return events.add(event);
  }

  @Override
  public void dropped() {
    throw new AssertionError("a recording watcher keeps up");
  }

  List<LockEvent> events() {
    return events;
  }

  List<EventKind> kinds() {
    return events.stream().map(LockEvent::kind).toList();
  }
}
