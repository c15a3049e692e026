package dev.lockstep.lock;

import dev.lockstep.api.LockName;
import dev.lockstep.lock.table.WaitEnded;
import java.util.Objects;

/**
 * How a batch-queued wait ended, as its session's grant channel tells it: the {@code seq}-th ending
 * of the session, of the acquire the client named {@code requestId}.
 */
public record ChannelEnding(long seq, LockName name, String requestId, WaitEnded ended) {
  public ChannelEnding {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(ended, "ended");
  }
}
