package dev.lockstep.lock.table;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import java.time.Duration;
import java.util.Objects;

/** One operation of a batch: the single calls' inputs, of the batch's session. */
public sealed interface BatchOperation {

  /**
   * {@code PUT /locks/{name}}, waiting up to {@code waitFor} (a record cannot name it {@code
   * wait}); a batch acquire that may wait must name itself.
   */
  record Acquire(LockName name, LockMode mode, String owner, Duration waitFor, String requestId)
      implements BatchOperation {
    public Acquire {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(waitFor, "waitFor");
    }
  }

  /** {@code DELETE /locks/{name}}. */
  record Release(LockName name) implements BatchOperation {
    public Release {
      Objects.requireNonNull(name, "name");
    }
  }

  /** {@code DELETE /locks/{name}?queued=true}. */
  record Withdraw(LockName name) implements BatchOperation {
    public Withdraw {
      Objects.requireNonNull(name, "name");
    }
  }

  /** {@code DELETE /locks/{name}?request=}. */
  record Cancel(LockName name, String requestId) implements BatchOperation {
    public Cancel {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(requestId, "requestId");
    }
  }

  /** {@code POST /sessions/{id}/keepalive} of the batch's session. */
  record KeepAlive() implements BatchOperation {}

  /**
   * An operation the caller could not read (unknown op or field, bad name, mode or wait): it is
   * answered with {@code problem}, and the others are still applied.
   */
  record Unreadable(LockTableException problem) implements BatchOperation {
    public Unreadable {
      Objects.requireNonNull(problem, "problem");
    }
  }
}
