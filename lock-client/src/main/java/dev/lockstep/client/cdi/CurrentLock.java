package dev.lockstep.client.cdi;

import dev.lockstep.client.LockHandle;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** The lock a {@link Locked} method holds, for the code that runs inside it on its thread. */
public final class CurrentLock {
  private static final ThreadLocal<Deque<LockHandle>> HELD =
      ThreadLocal.withInitial(ArrayDeque::new);

  private CurrentLock() {}

  /** The innermost {@code @Locked} lock of this thread. */
  public static Optional<LockHandle> handle() {
    return Optional.ofNullable(HELD.get().peek());
  }

  /** The fencing token of the innermost {@code @Locked} lock; fails outside one. */
  public static long fencingToken() {
    return handle()
        .orElseThrow(() -> new IllegalStateException("not inside a @Locked method"))
        .fencingToken();
  }

  static void push(LockHandle handle) {
    HELD.get().push(handle);
  }

  static void pop() {
    Deque<LockHandle> held = HELD.get();
    held.pop();
    if (held.isEmpty()) {
      HELD.remove();
    }
  }
}
