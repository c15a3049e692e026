package dev.lockstep.lock.table;

import dev.lockstep.api.LockView;
import dev.lockstep.api.ProblemType;
import java.util.Objects;
import java.util.Optional;

/**
 * A request the lock table refuses; the type decides the HTTP status, the detail explains, and a
 * lock conflict carries the lock's view so the answer can list holders and waiters.
 */
public class LockTableException extends RuntimeException {
  private final ProblemType type;
  private final transient LockView view;

  public LockTableException(ProblemType type, String detail) {
    this(type, detail, null);
  }

  public LockTableException(ProblemType type, String detail, LockView view) {
    super(detail);
    this.type = Objects.requireNonNull(type, "type");
    this.view = view;
  }

  public ProblemType type() {
    return type;
  }

  public Optional<LockView> view() {
    return Optional.ofNullable(view);
  }
}
