package dev.lockstep.lock.table;

import dev.lockstep.api.HolderView;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.api.WaiterView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * One lock: its holders in grant order, its FIFO queue, and the lock-delay that keeps it from being
 * granted after a holder's session expired. Kept in the table only while not idle.
 */
final class LockState {
  final LockName name;
  final Map<String, Grant> holders = new LinkedHashMap<>();
  final WaitQueue queue;
  // Written only by LockDelays, which indexes locks by it.
  Instant blockedUntil;

  LockState(LockName name, WaitIndex waits) {
    this.name = name;
    this.queue = new WaitQueue(waits);
  }

  /** The mode of the holders; all of them hold in one mode, since only shared shares. */
  Optional<LockMode> heldMode() {
    return holders.values().stream().findFirst().map(Grant::mode);
  }

  /** Whether a request in {@code mode} could be granted next to the current holders. */
  boolean admits(LockMode mode) {
    return holders.isEmpty() || mode.compatibleWith(heldMode().orElseThrow());
  }

  /**
   * Whether a new request in {@code mode} is granted at once: nobody in line, no delay, admitted.
   */
  boolean grantsAtOnce(LockMode mode, Instant now) {
    return queue.isEmpty() && !delayedAt(now) && admits(mode);
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

  /** Why a request judged at {@code at} was not granted, for the refusal's detail. */
  String whyNotGranted(Instant at) {
    if (delayedAt(at)) {
      return "lock-delay of an expired holder's session until " + blockedUntil;
    }
    if (!holders.isEmpty()) {
      return "held "
          + heldMode().orElseThrow().wireName()
          + " by "
          + holders.size()
          + " session(s)"
          + (queue.isEmpty() ? "" : ", " + queue.size() + " waiting ahead");
    }
    return queue.size() + " request(s) waiting ahead";
  }

  LockView view(long revision) {
    return new LockView(
        name.value(),
        holders.isEmpty() ? LockView.FREE : LockView.HELD,
        heldMode().map(LockMode::wireName).orElse(null),
        holders.values().stream()
            .map(g -> new HolderView(g.session(), g.owner(), g.fencingToken(), g.acquiredAt()))
            .toList(),
        StreamSupport.stream(queue.spliterator(), false)
            .map(w -> new WaiterView(w.session.id, w.mode.wireName(), w.since))
            .toList(),
        revision,
        blockedUntil);
  }

  /** The view of a lock the table does not keep: free, nobody waiting. */
  static LockView freeView(LockName name, long revision) {
    return new LockView(name.value(), LockView.FREE, null, List.of(), List.of(), revision, null);
  }
}
