package dev.lockstep.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.LockEvent;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.support.LockServerExtension;
import dev.lockstep.client.support.RequestLog;
import dev.lockstep.client.support.TestClients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Watches: callbacks per event kind, in order, all fed by the client's one event stream. */
@ExtendWith(LockServerExtension.class)
class WatchTest {
  private TestClients clients;
  private String prefix;

  @BeforeEach
  void setUp(LockServer server) {
    clients = new TestClients(server);
    prefix = TestClients.uniquePrefix("watch");
  }

  @AfterEach
  void tearDown() {
    clients.close();
  }

  /** Records every callback as "kind lock session". */
  private static final class Recorder implements LockListener {
    final List<String> seen = new CopyOnWriteArrayList<>();
    final List<LockEvent> events = new CopyOnWriteArrayList<>();

    private void record(LockEvent event) {
      events.add(event);
      seen.add(event.kind().wireName() + " " + event.lock() + " " + event.session());
    }

    @Override
    public void acquired(LockEvent event) {
      record(event);
    }

    @Override
    public void released(LockEvent event) {
      record(event);
    }

    @Override
    public void expired(LockEvent event) {
      record(event);
    }

    @Override
    public void queued(LockEvent event) {
      record(event);
    }

    @Override
    public void dequeued(LockEvent event) {
      record(event);
    }
  }

  @Test
  void watchPrefix_getsAcquiredQueuedDequeuedReleased_inOrder() {
    LockClient watcher = clients.open(c -> c);
    Recorder recorder = new Recorder();
    watcher.watch(prefix, recorder);
    LockClient holder = clients.openUncached();
    LockClient waiter = clients.openUncached();

    LockHandle held = holder.acquire(prefix + "job");
    // Waits in line, then gives up: queued, then dequeued.
    assertTrue(waiter.tryAcquire(prefix + "job", Duration.ofMillis(300)).isEmpty());
    held.release();

    String h = holder.sessionId().orElseThrow();
    String w = waiter.sessionId().orElseThrow();
    String job = prefix + "job";
    await().atMost(Duration.ofSeconds(2)).until(() -> recorder.seen.size() >= 4);
    assertEquals(
        List.of(
            "acquired " + job + " " + h,
            "queued " + job + " " + w,
            "dequeued " + job + " " + w,
            "released " + job + " " + h),
        recorder.seen);
    assertEquals(held.fencingToken(), recorder.events.get(0).fencingToken());
    List<Long> revisions = recorder.events.stream().map(LockEvent::revision).toList();
    assertEquals(revisions.stream().sorted().distinct().toList(), revisions, "revision order");
  }

  @Test
  void watchPrefix_withoutCache_whenStreamConnectsSlowly_missesNothing() {
    RequestLog log = new RequestLog();
    log.delay("GET", "/api/v1/events", Duration.ofMillis(700));
    LockClient watcher = clients.openLogged(log, c -> c.withCache(false));
    LockClient holder = clients.openUncached();
    Recorder recorder = new Recorder();

    watcher.watch(prefix, recorder);
    holder.acquire(prefix + "job").release(); // done before the stream is connected

    await().atMost(Duration.ofSeconds(3)).until(() -> recorder.seen.size() >= 2);
    assertEquals(
        List.of(EventKind.ACQUIRED, EventKind.RELEASED),
        recorder.events.stream().map(LockEvent::kind).toList());
  }

  @Test
  void watchExactName_getsOnlyThatLock() {
    LockClient watcher = clients.open(c -> c);
    Recorder exact = new Recorder();
    watcher.watch(prefix + "a", exact);
    LockClient holder = clients.openUncached();

    holder.acquire(prefix + "ab").release();
    holder.acquire(prefix + "a/b").release();
    holder.acquire(prefix + "a");

    // Events come in revision order: once "a" is seen, the others have gone by.
    await().atMost(Duration.ofSeconds(2)).until(() -> !exact.seen.isEmpty());
    assertEquals(
        List.of("acquired " + prefix + "a " + holder.sessionId().orElseThrow()), exact.seen);
  }

  @Test
  void closedSubscription_stopsDelivery() {
    LockClient watcher = clients.open(c -> c);
    Recorder closing = new Recorder();
    Recorder staying = new Recorder();
    Subscription subscription = watcher.watch(prefix, closing);
    watcher.watch(prefix, staying);
    LockClient holder = clients.openUncached();
    LockHandle handle = holder.acquire(prefix + "job");
    await().atMost(Duration.ofSeconds(2)).until(() -> closing.seen.size() == 1);

    subscription.close();
    subscription.close(); // harmless
    handle.release();
    holder.acquire(prefix + "job");

    await().atMost(Duration.ofSeconds(2)).until(() -> staying.seen.size() == 3);
    assertEquals(1, closing.seen.size(), "nothing after close: " + closing.seen);
  }

  @Test
  void twoWatches_shareOneEventStream() {
    RequestLog log = new RequestLog();
    LockClient watcher = clients.openLogged(log, c -> c);
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    watcher.watch(prefix + "x/", first);
    watcher.watch(prefix + "y", second);
    LockClient holder = clients.openUncached();

    holder.acquire(prefix + "x/1");
    holder.acquire(prefix + "y");

    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> first.seen.size() == 1 && second.seen.size() == 1);
    assertEquals(1, log.matching("GET", "/api/v1/events").size(), log.all().toString());
  }

  @Test
  void twoWatches_withoutCache_shareOneEventStream() {
    RequestLog log = new RequestLog();
    LockClient watcher = clients.openLogged(log, c -> c.withCache(false));
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    watcher.watch(prefix, first);
    watcher.watch(prefix, second);
    LockClient holder = clients.openUncached();

    holder.acquire(prefix + "job");

    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> first.seen.size() == 1 && second.seen.size() == 1);
    assertEquals(1, log.matching("GET", "/api/v1/events").size(), log.all().toString());
  }

  @Test
  void close_withOpenEventStream_returnsPromptlyAndStopsDelivery() {
    LockClient watcher = clients.open(c -> c.withStreamPrefix(prefix));
    Recorder recorder = new Recorder();
    watcher.watch(prefix, recorder);
    await().atMost(Duration.ofSeconds(5)).until(watcher::isCacheCurrent);
    LockClient holder = clients.openUncached();

    long start = System.nanoTime();
    watcher.close();
    Duration closing = Duration.ofNanos(System.nanoTime() - start);
    holder.acquire(prefix + "job");

    // The stream's reader is blocked until the server's next keep-alive (10 s): close must not
    // wait for it.
    assertTrue(closing.compareTo(Duration.ofSeconds(2)) < 0, "close took " + closing);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> recorder.seen.isEmpty());
  }
}
