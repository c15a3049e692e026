package dev.lockstep.client;

import dev.lockstep.api.LockView;
import java.util.Optional;

/** The lock was not granted within the wait; the view shows who held it and who waited. */
public class LockNotGrantedException extends LockstepException {
  private final transient LockView view;

  public LockNotGrantedException(String message, LockView view) {
    super(message);
    this.view = view;
  }

  public Optional<LockView> view() {
    return Optional.ofNullable(view);
  }
}
