package dev.lockstep.api;

import java.util.List;

/**
 * Answer to {@code GET /api/v1/locks/{name}}. {@code state} is {@code free} or {@code held}; {@code
 * mode} is absent for a free lock. {@code revision} is the server-wide revision at which the view
 * was taken, so a watcher can resume the event stream from it.
 */
public record LockView(
    String name,
    String state,
    String mode,
    List<HolderView> holders,
    List<WaiterView> waiters,
    long revision) {
  public static final String FREE = "free";
  public static final String HELD = "held";

  public LockView {
    holders = List.copyOf(holders);
    waiters = List.copyOf(waiters);
  }
}
