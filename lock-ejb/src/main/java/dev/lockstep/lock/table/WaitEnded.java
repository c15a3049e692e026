package dev.lockstep.lock.table;

import dev.lockstep.api.LockView;
import dev.lockstep.api.ProblemType;

/** How a queued request left the queue, for the one who is waiting on its answer. */
public sealed interface WaitEnded {
  long waiterId();

  record WaitGranted(long waiterId, Grant grant) implements WaitEnded {}

  /** The wait ran out, its session ended, or a newer request of the session took its place. */
  record WaitRefused(long waiterId, ProblemType type, String reason, LockView view)
      implements WaitEnded {}
}
