package dev.lockstep.lock.table;

import dev.lockstep.api.LockMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who waits for whom. A queued request of session S waits for every holder of its lock that is
 * incompatible with it, and (queues being strict FIFO) for every request ahead of it that is
 * incompatible with it: those must be granted and released first. A new wait that would let S reach
 * itself along these edges can never be granted: it closes a deadlock.
 *
 * <p>Only new waits add edges (a grant turns a waiter ahead into a holder: the same edge), so
 * checking each new wait before it is queued keeps the graph free of cycles. The graph is not
 * stored: it is read off the sessions' waits and the locks' queues, and a check visits only the
 * sessions reachable from the new wait.
 */
final class WaitForGraph {
  private final SessionRegistry sessions;
  private final Map<String, LockState> locks;

  WaitForGraph(SessionRegistry sessions, Map<String, LockState> locks) {
    this.sessions = sessions;
    this.locks = locks;
  }

  /**
   * The cycle a new wait of {@code waiting} for {@code lock} in {@code mode} would close, as
   * session, lock it waits for, session, ..., ending with {@code waiting} again; empty if none.
   */
  Optional<List<String>> cycleIfWaiting(Session waiting, LockState lock, LockMode mode) {
    // Breadth-first from the sessions the new request would wait for, remembering how each
    // session was reached, until the waiting session itself is reached.
    Map<String, Step> reachedBy = new HashMap<>();
    Deque<String> frontier = new ArrayDeque<>();
    for (String blocker : blockers(waiting.id, lock, mode, null)) {
      if (reachedBy.putIfAbsent(blocker, new Step(waiting.id, lock.name.value())) == null) {
        frontier.add(blocker);
      }
    }
    while (!frontier.isEmpty()) {
      String current = frontier.poll();
      if (current.equals(waiting.id)) {
        return Optional.of(path(reachedBy, waiting.id));
      }
      Optional<Session> session = sessions.find(current);
      if (session.isEmpty()) {
        continue;
      }
      for (Waiter wait : session.get().waits.values()) {
        LockState waitedFor = locks.get(wait.lock.value());
        if (waitedFor == null) {
          continue;
        }
        for (String blocker : blockers(current, waitedFor, wait.mode, wait)) {
          if (reachedBy.putIfAbsent(blocker, new Step(current, wait.lock.value())) == null) {
            frontier.add(blocker);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** How a session was reached: from {@code session}, which waits for {@code lock}. */
  private record Step(String session, String lock) {}

  /**
   * The sessions a request of {@code session} in {@code mode} for {@code lock} waits for:
   * incompatible holders, and incompatible requests ahead of {@code self} in the queue (the whole
   * queue for a request not yet queued).
   */
  private static Set<String> blockers(String session, LockState lock, LockMode mode, Waiter self) {
    Set<String> blockers = new LinkedHashSet<>();
    for (Grant holder : lock.holders.values()) {
      if (!holder.session().equals(session) && !mode.compatibleWith(holder.mode())) {
        blockers.add(holder.session());
      }
    }
    for (Waiter ahead : lock.queue) {
      if (ahead == self) {
        break;
      }
      if (!ahead.session.id.equals(session) && !mode.compatibleWith(ahead.mode)) {
        blockers.add(ahead.session.id);
      }
    }
    return blockers;
  }

  private static List<String> path(Map<String, Step> reachedBy, String start) {
    List<String> backwards = new ArrayList<>();
    String at = start;
    do {
      Step step = reachedBy.get(at);
      backwards.add(at);
      backwards.add(step.lock());
      at = step.session();
    } while (!at.equals(start));
    backwards.add(start);
    Collections.reverse(backwards);
    return backwards;
  }
}
