package dev.lockstep.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * One lock name as a {@link Lock}, for code written against {@code java.util.concurrent}: {@code
 * lock()} acquires exclusively, {@code unlock()} releases the most recent handle it took. The lock
 * is owned by the client's session, as every lock of the service is: nested {@code lock()} calls of
 * one thread count, and {@code unlock()} may come from any thread. {@code newCondition()} is not
 * supported (a condition would need the server to wake waiters).
 */
final class SessionLock implements Lock {
  private final LockClient client;
  private final String name;
  private final Deque<LockHandle> held = new ArrayDeque<>();

  SessionLock(LockClient client, String name) {
    this.client = client;
    this.name = name;
  }

  @Override
  public void lock() {
    push(client.acquire(name));
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    push(client.acquireInterruptibly(name));
  }

  @Override
  public boolean tryLock() {
    return pushed(client.tryAcquire(name, Duration.ZERO));
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("tryLock of " + name);
    }
    try {
      return pushed(client.tryAcquire(name, Duration.ofNanos(unit.toNanos(Math.max(0, time)))));
    } catch (LockInterruptedException e) {
      Thread.interrupted(); // the flag travels as the exception, as Lock.tryLock specifies
      throw (InterruptedException) e.getCause();
    }
  }

  /**
   * Releases the most recent handle this lock took.
   *
   * @throws IllegalMonitorStateException when this lock holds no handle
   * @throws LockLostException when the lock was lost meanwhile
   */
  @Override
  public void unlock() {
    LockHandle handle;
    synchronized (held) {
      handle = held.pollLast();
    }
    if (handle == null) {
      throw new IllegalMonitorStateException("You do not own the lock: " + name);
    }
    handle.release();
  }

  @Override
  public Condition newCondition() {
    throw new UnsupportedOperationException(
        "conditions are not supported by lock " + name + ": the lock service has none");
  }

  private boolean pushed(Optional<LockHandle> handle) {
    handle.ifPresent(this::push);
    return handle.isPresent();
  }

  private void push(LockHandle handle) {
    synchronized (held) {
      held.addLast(handle);
    }
  }
}
