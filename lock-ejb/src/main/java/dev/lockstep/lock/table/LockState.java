package dev.lockstep.lock.table;

import dev.lockstep.api.HolderView;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.api.WaiterView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;

/**
 * One lock: its holders in grant order, its FIFO queue, and the lock-delay that keeps it from being
 * granted after a holder's session expired. Kept in the table only while not idle.
 */
final class LockState {
  final LockName name;
  final Map<String, Grant> holders = new LinkedHashMap<>();
  // A LinkedHashSet keeps queue order and removes a waiter from the middle in O(1).
  final LinkedHashSet<Waiter> queue = new LinkedHashSet<>();
  Instant blockedUntil;

  LockState(LockName name) {
    this.name = name;
  }

  Optional<LockMode> heldMode() {
    return holders.values().stream().findFirst().map(Grant::mode);
  }

  /** Whether a request in {@code mode} could be granted next to the current holders. */
  boolean admits(LockMode mode) {
    return holders.isEmpty()
        || (mode == LockMode.SHARED && heldMode().orElseThrow() == LockMode.SHARED);
  }

  boolean delayedAt(Instant now) {
    return blockedUntil != null && now.isBefore(blockedUntil);
  }

  boolean idle() {
    return holders.isEmpty() && queue.isEmpty() && blockedUntil == null;
  }

  boolean visible() {
    return !holders.isEmpty() || !queue.isEmpty();
  }

  LockView view(long revision) {
    return new LockView(
        name.value(),
        holders.isEmpty() ? LockView.FREE : LockView.HELD,
        heldMode().map(LockMode::wireName).orElse(null),
        holders.values().stream()
            .map(g -> new HolderView(g.session(), g.owner(), g.fencingToken(), g.acquiredAt()))
            .toList(),
        queue.stream().map(w -> new WaiterView(w.session.id, w.mode.wireName(), w.since)).toList(),
        revision);
  }

  static LockView freeView(LockName name, long revision) {
    return new LockState(name).view(revision);
  }
}
