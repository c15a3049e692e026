package dev.lockstep.lock;

import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;

/**
 * Told how a queued acquire ended, once, after the change is stored. Called on a managed executor
 * thread, never under the lock service's lock, so it may do I/O.
 */
public interface WaitListener {
  void granted(Grant grant);

  void refused(WaitRefused refusal);
}
