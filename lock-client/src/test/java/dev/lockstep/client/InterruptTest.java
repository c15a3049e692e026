package dev.lockstep.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockView;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.support.LockServerExtension;
import dev.lockstep.client.support.TestClients;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An interrupted wait ends at once, withdraws its request from the lock's line (the server shows no
 * waiter), keeps the interrupt flag, and is never granted afterwards, when the holder releases.
 */
@ExtendWith(LockServerExtension.class)
class InterruptTest {
  private TestClients clients;
  private String name;
  private LockClient holder;
  private LockClient waiter;
  private LockClient observer;

  @BeforeEach
  void setUp(LockServer server) {
    clients = new TestClients(server);
    name = TestClients.uniquePrefix("interrupt") + "job";
    holder = clients.openUncached();
    waiter = clients.openUncached();
    observer = clients.openUncached();
  }

  @AfterEach
  void tearDown() {
    clients.close();
  }

  /** Runs {@code wait} on a thread, interrupts it once the server shows it in line. */
  private Thread interruptWhileQueued(Runnable wait) throws InterruptedException {
    Thread thread = new Thread(wait, "interrupted-waiter");
    thread.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> observer.status(name).waiters().size() == 1);
    long start = System.nanoTime();
    thread.interrupt();
    thread.join(Duration.ofSeconds(3).toMillis());
    assertTrue(!thread.isAlive(), "the interrupted wait did not end");
    assertTrue(
        Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(3)) < 0,
        "ended promptly");
    return thread;
  }

  private void assertWithdrawnAndNeverGranted(LockHandle held) {
    assertTrue(observer.status(name).waiters().isEmpty(), "withdrawn from the line");
    held.release();
    await()
        .during(Duration.ofMillis(1_500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> LockView.FREE.equals(observer.status(name).state()));
  }

  @Test
  void acquire_whenInterrupted_endsWithdrawsKeepsTheFlag_andIsNeverGranted() throws Exception {
    LockHandle held = holder.acquire(name);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagKept = new AtomicBoolean();

    interruptWhileQueued(
        () -> {
          try {
            waiter.acquire(name);
          } catch (RuntimeException e) {
            thrown.set(e);
            flagKept.set(Thread.currentThread().isInterrupted());
          }
        });

    assertInstanceOf(LockInterruptedException.class, thrown.get());
    assertTrue(flagKept.get(), "the interrupt flag is set again");
    assertWithdrawnAndNeverGranted(held);
  }

  @Test
  void tryAcquire_whenInterrupted_endsAndWithdraws() throws Exception {
    LockHandle held = holder.acquire(name);
    AtomicReference<Throwable> thrown = new AtomicReference<>();

    interruptWhileQueued(
        () -> {
          try {
            waiter.tryAcquire(name, Duration.ofSeconds(20));
          } catch (RuntimeException e) {
            thrown.set(e);
          }
        });

    assertInstanceOf(LockInterruptedException.class, thrown.get());
    assertWithdrawnAndNeverGranted(held);
  }

  @Test
  void acquireInterruptibly_whenInterrupted_throwsInterruptedException() throws Exception {
    LockHandle held = holder.acquire(name);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Lock lock = waiter.asLock(name);

    interruptWhileQueued(
        () -> {
          try {
            lock.lockInterruptibly();
          } catch (InterruptedException e) {
            thrown.set(e);
          }
        });

    assertInstanceOf(InterruptedException.class, thrown.get());
    assertWithdrawnAndNeverGranted(held);
  }

  @Test
  void acquireAsync_whenCancelled_withdrawsAndIsNeverGranted() {
    LockHandle held = holder.acquire(name);
    CompletableFuture<LockHandle> pending = waiter.acquireAsync(name);
    await().atMost(Duration.ofSeconds(10)).until(() -> observer.status(name).waiters().size() == 1);

    pending.cancel(true);

    await().atMost(Duration.ofSeconds(3)).until(() -> observer.status(name).waiters().isEmpty());
    assertWithdrawnAndNeverGranted(held);
  }

  @Test
  void acquireAsync_completesWithTheGrant_whenTheHolderReleases() throws Exception {
    LockHandle held = holder.acquire(name);
    CompletableFuture<LockHandle> pending = waiter.acquireAsync(name);
    await().atMost(Duration.ofSeconds(10)).until(() -> observer.status(name).waiters().size() == 1);

    held.release();

    LockHandle granted = pending.get(5, TimeUnit.SECONDS);
    assertEquals(HandleState.HELD, granted.state());
    assertTrue(granted.fencingToken() > held.fencingToken());
    granted.release();
  }
}
