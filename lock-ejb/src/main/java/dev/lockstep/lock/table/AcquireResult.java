package dev.lockstep.lock.table;

import dev.lockstep.api.LockView;

/** What an acquire came to, as Hazelcast's AcquireResult: a value, not an exception. */
public sealed interface AcquireResult {

  /** The lock is held; {@code repeated} when the session already held it in this mode. */
  record Granted(Grant grant, boolean repeated) implements AcquireResult {}

  /** The request waits in line; the lock table will end the wait with a {@link WaitEnded}. */
  record Queued(long waiterId, int position) implements AcquireResult {}

  /** Not granted and not queued: the view says who holds it and who waits. */
  record Conflict(LockView view, String reason) implements AcquireResult {}
}
