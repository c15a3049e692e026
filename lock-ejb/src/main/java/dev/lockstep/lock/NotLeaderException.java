package dev.lockstep.lock;

import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.LockTableException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * This server is not the active one of its group, or no longer surely is: a standby, an active that
 * lost its lease, or one still loading its table. {@code leader} is the active's advertised base
 * URL when known; {@code retryAfter} how soon to ask again.
 */
public final class NotLeaderException extends LockTableException {
  private final transient Optional<String> leader;
  private final Duration retryAfter;

  public NotLeaderException(String detail, Optional<String> leader, Duration retryAfter) {
    super(ProblemType.NOT_LEADER, detail);
    this.leader = Objects.requireNonNull(leader, "leader");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  public Optional<String> leader() {
    return leader;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
