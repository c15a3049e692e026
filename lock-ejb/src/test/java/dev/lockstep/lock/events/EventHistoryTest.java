package dev.lockstep.lock.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.LockEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class EventHistoryTest {
  private static LockEvent event(long revision, String lock) {
    return new LockEvent(revision, EventKind.RELEASED, lock, "s", "shared", 1L, Instant.EPOCH);
  }

  private static List<Long> revisions(Optional<List<LockEvent>> events) {
    return events.orElseThrow().stream().map(LockEvent::revision).toList();
  }

  @Test
  void after_returnsMatchingEventsAfterTheRevision_oldestFirst() {
    EventHistory history = new EventHistory(10, 0);
    history.append(List.of(event(1, "a"), event(2, "b"), event(3, "a"), event(4, "a")));
    assertEquals(List.of(3L, 4L), revisions(history.after(1, EventFilter.name("a"))));
    assertEquals(List.of(2L, 3L, 4L), revisions(history.after(1, EventFilter.everything())));
    assertEquals(List.of(), revisions(history.after(4, EventFilter.everything())));
    assertEquals(List.of(1L, 2L, 3L, 4L), revisions(history.after(0, EventFilter.everything())));
  }

  @Test
  void after_whenEventsWereTrimmed_isEmptySoTheWatcherResets() {
    EventHistory history = new EventHistory(3, 0);
    history.append(LongStream.rangeClosed(1, 5).mapToObj(r -> event(r, "a")).toList());
    assertEquals(3, history.size());
    assertTrue(history.after(1, EventFilter.everything()).isEmpty(), "2 is gone");
    assertEquals(List.of(3L, 4L, 5L), revisions(history.after(2, EventFilter.everything())));
  }

  @Test
  void after_beforeWhatWasLoaded_isEmpty() {
    EventHistory history = new EventHistory(100, 40);
    history.append(List.of(event(41, "a")));
    assertTrue(history.after(39, EventFilter.everything()).isEmpty());
    assertEquals(List.of(41L), revisions(history.after(40, EventFilter.everything())));
  }

  @Test
  void append_outOfRevisionOrder_isRefused() {
    EventHistory history = new EventHistory(10, 0);
    history.append(List.of(event(5, "a")));
    assertThrows(IllegalArgumentException.class, () -> history.append(List.of(event(5, "a"))));
  }
}
