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
  private final transient java.util.List<String> cycle;

  public LockTableException(ProblemType type, String detail) {
    this(type, detail, null);
  }

  public LockTableException(ProblemType type, String detail, LockView view) {
    this(type, detail, view, null);
  }

  public LockTableException(
      ProblemType type, String detail, LockView view, java.util.List<String> cycle) {
    super(detail);
    this.type = Objects.requireNonNull(type, "type");
    this.view = view;
    this.cycle = cycle == null ? null : java.util.List.copyOf(cycle);
  }

  /** For a deadlock: session, lock it waits for, session, ..., back to the first session. */
  public Optional<java.util.List<String>> cycle() {
    return Optional.ofNullable(cycle);
  }

  public ProblemType type() {
    return type;
  }

  public Optional<LockView> view() {
    return Optional.ofNullable(view);
  }
}
