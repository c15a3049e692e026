package dev.lockstep.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.lock.table.Changes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  /** Changes that touch the store, told apart by their counter. */
  private static Changes changes(long counter) {
    return new Changes(
        List.of(),
        List.of(),
        List.of("s" + counter),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        counter);
  }

  @Test
  void concurrentOperations_areStoredOnceEachInOrder_inFewerCommits_andAnsweredOnlyOnceStored()
      throws Exception {
    List<Long> stored = Collections.synchronizedList(new ArrayList<>());
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    List<Long> published = Collections.synchronizedList(new ArrayList<>());
    GroupCommit commits =
        new GroupCommit(
            batch -> {
              sleep(5); // a commit that takes a while, as a disk write does
              batch.forEach(c -> stored.add(c.counter()));
              batchSizes.add(batch.size());
            },
            told(published));
    ReentrantLock table = new ReentrantLock();
    long[] counter = {0};
    int threads = 16;
    int perThread = 40;
    AtomicBoolean answeredEarly = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                  GroupCommit.Ticket ticket;
                  long mine;
                  table.lock(); // as the lock service: enqueue in the order the table changed
                  try {
                    mine = ++counter[0];
                    ticket = commits.enqueue(delivery(mine));
                  } finally {
                    table.unlock();
                  }
                  commits.await(ticket);
                  if (!stored.contains(mine) || !published.contains(mine)) {
                    answeredEarly.set(true);
                  }
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    int total = threads * perThread;
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= total; i++) {
      expected.add(i);
    }
    assertEquals(expected, stored, "each change stored once, in table order");
    assertEquals(expected, published, "told in table order, each once");
    assertTrue(!answeredEarly.get(), "no caller was answered before its change was stored");
    assertTrue(
        batchSizes.size() <= total / 2,
        "concurrent callers share commits: " + batchSizes.size() + " commits for " + total);
  }

  @Test
  void failedCommit_failsItsBatchOnly_tellsNobody_andLaterCommitsGoOn() {
    RuntimeException diskFull = new IllegalStateException("disk full");
    AtomicBoolean failNext = new AtomicBoolean(true);
    List<Long> stored = new ArrayList<>();
    List<Long> told = new ArrayList<>();
    GroupCommit commits =
        new GroupCommit(
            batch -> {
              if (failNext.getAndSet(false)) {
                throw diskFull;
              }
              batch.forEach(c -> stored.add(c.counter()));
            },
            told(told));
    GroupCommit.Ticket first = commits.enqueue(delivery(1));
    GroupCommit.Ticket second = commits.enqueue(delivery(2));
    assertSame(diskFull, assertThrows(IllegalStateException.class, () -> commits.await(first)));
    assertSame(
        diskFull,
        assertThrows(IllegalStateException.class, () -> commits.await(second)),
        "both were in the failed batch");
    GroupCommit.Ticket third = commits.enqueue(delivery(3));
    commits.await(third);
    assertEquals(List.of(3L), stored);
    assertEquals(List.of(3L), told, "only a stored change is told of");
  }

  @Test
  void storeThrowingAnError_failsItsBatch_andLeavesNoCallerWaiting() {
    AtomicBoolean failNext = new AtomicBoolean(true);
    GroupCommit commits =
        new GroupCommit(
            batch -> {
              if (failNext.getAndSet(false)) {
                throw new StackOverflowError("deep");
              }
            },
            batch -> {});
    GroupCommit.Ticket first = commits.enqueue(delivery(1));
    IllegalStateException failed =
        assertThrows(IllegalStateException.class, () -> commits.await(first));
    assertTrue(failed.getCause() instanceof StackOverflowError);
    GroupCommit.Ticket second = commits.enqueue(delivery(2));
    commits.await(second);
    commits.awaitSettled(commits.lastEnqueued());
  }

  @Test
  void readerWaitsForWhatItSaw_evenWithoutChangesOfItsOwn() throws Exception {
    CountDownLatch storing = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    GroupCommit commits =
        new GroupCommit(
            batch -> {
              storing.countDown();
              await(letGo);
            },
            batch -> {});
    GroupCommit.Ticket write = commits.enqueue(delivery(1));
    Thread writer = new Thread(() -> commits.await(write));
    writer.start();
    assertTrue(storing.await(10, TimeUnit.SECONDS));
    long seen = commits.lastEnqueued();
    AtomicBoolean readerDone = new AtomicBoolean();
    Thread reader =
        new Thread(
            () -> {
              commits.awaitSettled(seen);
              readerDone.set(true);
            });
    reader.start();
    InGroupCommit.awaitBlocked(reader);
    assertFalse(readerDone.get(), "the reader waits while what it saw is being stored");
    letGo.countDown();
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(readerDone);
    reader.join(10_000);
    writer.join(10_000);
    assertTrue(readerDone.get());
  }

  /** A ticket whose changes touch the store, told apart by their counter. */
  private static Delivery delivery(long counter) {
    return new Delivery(changes(counter), List.of());
  }

  /** Records the counters of each stored batch's deliveries, in the order they are handed on. */
  private static Consumer<List<Delivery>> told(List<Long> into) {
    return batch -> batch.forEach(d -> into.add(d.changes().counter()));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
