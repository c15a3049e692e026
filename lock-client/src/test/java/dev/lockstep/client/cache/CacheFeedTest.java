package dev.lockstep.client.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.HolderView;
import dev.lockstep.api.LockEvent;
import dev.lockstep.api.LockList;
import dev.lockstep.api.LockView;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The cache follows the stream it is fed by: current only while connected, reloaded on reset. */
class CacheFeedTest {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  private final LockCache cache = new LockCache("jobs/");
  private final AtomicReference<LockList> server =
      new AtomicReference<>(new LockList(List.of(), 1));
  private final AtomicInteger fullReads = new AtomicInteger();
  private final CacheFeed feed =
      new CacheFeed(
          cache,
          () -> {
            fullReads.incrementAndGet();
            return server.get();
          });

  private static LockView held(String name, long token, long revision) {
    return new LockView(
        name,
        LockView.HELD,
        "exclusive",
        List.of(new HolderView("s1", "o", token, AT)),
        List.of(),
        revision,
        null);
  }

  @Test
  void currentOnlyWhileConnected() {
    cache.load(server.get());
    assertFalse(cache.isCurrent(), "loaded, but the stream is not connected yet");

    feed.connected();
    assertTrue(cache.isCurrent());

    feed.disconnected();
    assertFalse(cache.isCurrent(), "events may be missed while disconnected");
  }

  @Test
  void events_updateTheContents() {
    cache.load(server.get());
    feed.connected();

    feed.event(new LockEvent(2, EventKind.ACQUIRED, "jobs/a", "s1", "exclusive", 2L, AT, "o"));

    assertEquals(LockView.HELD, cache.status("jobs/a").orElseThrow().state());
    assertEquals(2, cache.revision());
  }

  @Test
  void reset_rereadsTheStateInFull() {
    cache.load(server.get());
    feed.connected();
    server.set(new LockList(List.of(held("jobs/b", 7, 9)), 9));

    feed.reset(9);

    assertEquals(1, fullReads.get());
    assertTrue(cache.isCurrent());
    assertEquals(7, cache.status("jobs/b").orElseThrow().holders().get(0).fencingToken());
    assertEquals(9, cache.revision());
  }

  @Test
  void reset_whenTheReReadFails_leavesTheCacheNotCurrent() {
    cache.load(server.get());
    feed.connected();
    CacheFeed failing =
        new CacheFeed(
            cache,
            () -> {
              throw new IllegalStateException("server unreachable");
            });

    failing.reset(9);

    assertFalse(cache.isCurrent(), "stale contents must not answer status");
    assertTrue(cache.status("jobs/a").isEmpty());
  }
}
