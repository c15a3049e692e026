package dev.lockstep.lock.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.LockEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventHubTest {
  private final EventHub hub = new EventHub();
  private long revision;

  private LockEvent event(String lock) {
    return new LockEvent(
        ++revision,
        lock == null ? EventKind.SESSION_EXPIRED : EventKind.ACQUIRED,
        lock,
        "s1",
        lock == null ? null : "exclusive",
        lock == null ? null : revision,
        Instant.EPOCH);
  }

  /** Records what it is offered; refuses once {@code capacity} events are held. */
  static final class Recording implements Watcher {
    final List<Long> revisions = new ArrayList<>();
    final int capacity;
    boolean dropped;

    Recording(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public void start(List<LockEvent> replay, boolean reset, long revision) {}

    @Override
    public boolean offer(LockEvent event) {
      if (revisions.size() >= capacity) {
        return false;
      }
      revisions.add(event.revision());
      return true;
    }

    @Override
    public void dropped() {
      dropped = true;
    }
  }

  @Test
  void publish_reachesOnlyWatchersWhoseFilterMatches_inRevisionOrder() {
    Recording all = new Recording(100);
    Recording jobs = new Recording(100);
    Recording jobsA = new Recording(100);
    Recording exactlyA = new Recording(100);
    hub.subscribe(EventFilter.everything(), all);
    hub.subscribe(EventFilter.prefix("jobs/"), jobs);
    hub.subscribe(EventFilter.prefix("jobs/a"), jobsA);
    hub.subscribe(EventFilter.name("jobs/a"), exactlyA);

    hub.publish(
        List.of(event("jobs/a"), event("jobs/ab"), event("other/x"), event(null), event("jobs/b")));

    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), all.revisions);
    assertEquals(List.of(1L, 2L, 5L), jobs.revisions);
    assertEquals(List.of(1L, 2L), jobsA.revisions);
    assertEquals(List.of(1L), exactlyA.revisions, "a name filter is exact, not a prefix");
  }

  @Test
  void publish_whenAWatcherFallsBehind_dropsOnlyThatWatcher() {
    Recording slow = new Recording(2);
    Recording fast = new Recording(100);
    hub.subscribe(EventFilter.prefix("jobs/"), slow);
    hub.subscribe(EventFilter.prefix("jobs/"), fast);

    hub.publish(List.of(event("jobs/a"), event("jobs/a"), event("jobs/a")));
    hub.publish(List.of(event("jobs/a")));

    assertTrue(slow.dropped);
    assertEquals(List.of(1L, 2L), slow.revisions, "nothing after it fell behind");
    assertFalse(fast.dropped);
    assertEquals(List.of(1L, 2L, 3L, 4L), fast.revisions);
    assertEquals(1, hub.watcherCount());
  }

  @Test
  void unsubscribe_stopsDelivery_andKeepsOtherWatchersOfTheSamePrefix() {
    Recording first = new Recording(100);
    Recording second = new Recording(100);
    hub.subscribe(EventFilter.prefix("jobs/"), first);
    hub.subscribe(EventFilter.prefix("jobs/"), second);
    hub.unsubscribe(first);
    hub.publish(List.of(event("jobs/a")));
    assertEquals(List.of(), first.revisions);
    assertEquals(List.of(1L), second.revisions);
    hub.unsubscribe(second);
    hub.publish(List.of(event("jobs/a")));
    assertEquals(List.of(1L), second.revisions);
    assertEquals(0, hub.watcherCount());
  }
}
