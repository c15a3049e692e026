package dev.lockstep.lock;

import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;

/**
 * Told how a queued acquire ended, once, after the change that ended it is stored, by the {@link
 * CommitDispatcher}. Called on a thread that passed through the lock service (often the request
 * that made the change), never under its table lock nor inside a commit, so it may call the lock
 * service; it should not block, since that thread's own answer waits behind it.
 */
public interface WaitListener {
  void granted(Grant grant);

  void refused(WaitRefused refusal);
}
