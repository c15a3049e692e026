package dev.lockstep.api;

import java.time.Instant;
import java.util.List;

/**
 * Answer to {@code GET /api/v1/locks/{name}}. {@code state} is {@code free} or {@code held}; {@code
 * mode} is absent for a free lock. {@code revision} is the server-wide revision at which the view
 * was taken, so a watcher can resume the event stream from it. {@code blockedUntil} (an addition to
 * the contract) is the end of a lock-delay in force: no one is granted the lock before it; absent
 * when there is none.
 */
public record LockView(
    String name,
    String state,
    String mode,
    List<HolderView> holders,
    List<WaiterView> waiters,
    long revision,
    Instant blockedUntil) {
  public static final String FREE = "free";
  public static final String HELD = "held";

  public LockView {
    holders = List.copyOf(holders);
    waiters = List.copyOf(waiters);
  }
}
