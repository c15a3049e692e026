package dev.lockstep.lock;

import dev.lockstep.lock.lease.LeaseLostException;
import dev.lockstep.lock.persistence.LockStore;
import dev.lockstep.lock.persistence.StoredState;
import dev.lockstep.lock.table.Changes;
import dev.lockstep.lock.table.Grant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store in memory that records each batch it is given; a test can hold the next batch on a latch
 * (to let other operations queue behind it) and make a given call fail.
 */
final class FakeLockStore implements LockStore {
  private final List<List<Changes>> batches = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile CountDownLatch holdNext;
  private volatile CountDownLatch holding = new CountDownLatch(1);
  private volatile int failingCall;
  private volatile int deposedFromCall;
  private volatile boolean closed;

  @Override
  public StoredState load() {
    return new StoredState(0, List.of(), List.of(), List.of(), 0, List.of());
  }

  @Override
  public void apply(List<Changes> batch) {
    int call = calls.incrementAndGet();
    CountDownLatch gate = holdNext;
    if (gate != null) {
      holdNext = null;
      holding.countDown();
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never let the held batch go");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    if (deposedFromCall > 0 && call >= deposedFromCall) {
      throw new LeaseLostException(1, 2);
    }
    if (call == failingCall) {
      throw new IllegalStateException("disk full");
    }
    batches.add(List.copyOf(batch));
  }

  @Override
  public void close() {
    closed = true;
  }

  /** Holds the next batch until {@code gate} opens; {@link #awaitHolding} says when it is held. */
  void holdNextBatch(CountDownLatch gate) {
    holding = new CountDownLatch(1);
    holdNext = gate;
  }

  void awaitHolding() throws InterruptedException {
    if (!holding.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no batch reached the store");
    }
  }

  /** Makes the {@code call}-th call (counting from one, over the store's life) fail. */
  void failCall(int call) {
    failingCall = call;
  }

  /**
   * From the {@code call}-th call on, every commit finds the lease taken over, as on PostgreSQL.
   */
  void deposeFromCall(int call) {
    deposedFromCall = call;
  }

  int calls() {
    return calls.get();
  }

  /** The batches stored, each as the operations' changes it was given. */
  List<List<Changes>> batches() {
    return batches;
  }

  boolean holdsGrant(Grant grant) {
    return batches.stream().flatMap(List::stream).anyMatch(c -> c.grantsAdded().contains(grant));
  }

  boolean closed() {
    return closed;
  }
}
