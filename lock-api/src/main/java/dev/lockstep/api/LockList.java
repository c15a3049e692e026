package dev.lockstep.api;

import java.util.List;

/** Answer to {@code GET /api/v1/locks?prefix=}: locks that are held or have waiters. */
public record LockList(List<LockView> locks, long revision) {
  public LockList {
    locks = List.copyOf(locks);
  }
}
