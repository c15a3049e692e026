package dev.lockstep.lock;

import dev.lockstep.api.LockName;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.WaitEnded.WaitGranted;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;

/**
 * The listener of a wait a batch queued: it has no connection to answer, so its ending goes to the
 * session's grant channel. A record, so that a batch acquire repeated with the same request id (the
 * same place in line, the same name) is the same listener and is not told it was superseded.
 */
record ChannelWait(GrantChannel channel, long waiterId, LockName name, String requestId)
    implements WaitListener {
  @Override
  public void granted(Grant grant) {
    channel.append(name, requestId, new WaitGranted(waiterId, grant));
  }

  @Override
  public void refused(WaitRefused refusal) {
    channel.append(name, requestId, refusal);
  }
}
