package dev.lockstep.client;

import dev.lockstep.api.LockView;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link LockClient#attempt} came to: the handle when granted; when not, the lock as the
 * server showed it in its refusal (who holds it, who waits), if the server was asked. The view is
 * empty when the wait ended locally, because another thread of this client held the lock for the
 * whole timeout.
 */
public record AcquireResult(Optional<LockHandle> handle, Optional<LockView> lock) {
  public AcquireResult {
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(lock, "lock");
  }

  static AcquireResult granted(LockHandle handle) {
    return new AcquireResult(Optional.of(handle), Optional.empty());
  }

  static AcquireResult notGranted(Optional<LockView> lock) {
    return new AcquireResult(Optional.empty(), lock);
  }

  public boolean isGranted() {
    return handle.isPresent();
  }
}
