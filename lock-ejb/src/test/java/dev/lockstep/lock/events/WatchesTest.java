package dev.lockstep.lock.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.LockEvent;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.LockTableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class WatchesTest {
  /** A watcher that remembers how it was started and what it was offered. */
  private static final class Recorded implements Watcher {
    List<Long> replay;
    Boolean reset;
    long startRevision = -1;
    final List<Long> live = new ArrayList<>();

    @Override
    public void start(List<LockEvent> replay, boolean reset, long revision) {
      this.replay = replay.stream().map(LockEvent::revision).toList();
      this.reset = reset;
      this.startRevision = revision;
    }

    @Override
    public boolean offer(LockEvent event) {
      return live.add(event.revision());
    }

    @Override
    public void dropped() {}
  }

  private static LockEvent event(long revision) {
    return new LockEvent(revision, EventKind.RELEASED, "a", "s", "shared", 1L, Instant.EPOCH);
  }

  private static List<LockEvent> events(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(WatchesTest::event).toList();
  }

  /** Watches with events 1..5 published, of which the history keeps the last three. */
  private static Watches publishedUpToFive(int maxWatchers) {
    Watches watches = new Watches(new EventHistory(3, 0), maxWatchers, 0);
    watches.publish(events(1, 5), 5);
    return watches;
  }

  @Test
  void watch_withoutResume_startsAtThePublishedRevision_andGetsLiveEvents() {
    Watches watches = publishedUpToFive(10);
    Recorded watcher = new Recorded();
    watches.watch(EventFilter.everything(), OptionalLong.empty(), watcher);
    watches.publish(events(6, 7), 7);
    assertEquals(List.of(), watcher.replay);
    assertEquals(false, watcher.reset);
    assertEquals(5, watcher.startRevision);
    assertEquals(List.of(6L, 7L), watcher.live);
    assertEquals(7, watches.publishedRevision());
  }

  @Test
  void watch_resumingWithinTheHistory_replaysWhatItMissed() {
    Watches watches = publishedUpToFive(10);
    Recorded watcher = new Recorded();
    watches.watch(EventFilter.everything(), OptionalLong.of(3), watcher);
    assertEquals(List.of(4L, 5L), watcher.replay);
    assertEquals(false, watcher.reset);
  }

  @Test
  void watch_resumingBeforeTheHistory_resets() {
    Watches watches = publishedUpToFive(10);
    Recorded watcher = new Recorded();
    watches.watch(EventFilter.everything(), OptionalLong.of(1), watcher);
    assertEquals(List.of(), watcher.replay);
    assertEquals(true, watcher.reset);
    assertEquals(5, watcher.startRevision);
  }

  @Test
  void watch_resumingAfterARevisionThisServerNeverReached_resets() {
    Watches watches = publishedUpToFive(10);
    Recorded watcher = new Recorded();
    watches.watch(EventFilter.everything(), OptionalLong.of(9), watcher);
    assertEquals(List.of(), watcher.replay);
    assertEquals(true, watcher.reset);
  }

  @Test
  void watch_pastTheWatcherLimit_isRefusedTooMany_untilOneLeaves() {
    Watches watches = publishedUpToFive(2);
    Recorded first = new Recorded();
    watches.watch(EventFilter.everything(), OptionalLong.empty(), first);
    watches.watch(EventFilter.name("a"), OptionalLong.empty(), new Recorded());
    Recorded third = new Recorded();
    LockTableException refused =
        assertThrows(
            LockTableException.class,
            () -> watches.watch(EventFilter.everything(), OptionalLong.empty(), third));
    assertEquals(ProblemType.TOO_MANY, refused.type());
    assertEquals(-1, third.startRevision, "a refused watcher is not started");

    watches.unwatch(first);
    watches.watch(EventFilter.everything(), OptionalLong.empty(), third);
    assertEquals(2, watches.watcherCount());
  }
}
