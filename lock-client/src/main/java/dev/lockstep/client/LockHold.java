package dev.lockstep.client;

import dev.lockstep.api.GrantView;
import java.util.Optional;

/**
 * One grant as this client holds it, shared by the nested handles of the thread that acquired it
 * (Curator's {@code InterProcessMutex} semantics): each nested acquire adds one to the hold count
 * without an HTTP call, and only the release that brings the count to zero releases the lock on the
 * server. Once the lock is gone (released, or found lost), every handle of the hold says so.
 */
final class LockHold {
  private final GrantView grant;
  private final Sessions.Live session;
  private final Runnable endTurn;

  private int count = 1;
  private HandleState ended;

  LockHold(GrantView grant, Sessions.Live session, Runnable endTurn) {
    this.grant = grant;
    this.session = session;
    this.endTurn = endTurn;
  }

  GrantView grant() {
    return grant;
  }

  Sessions.Live session() {
    return session;
  }

  /** One more nested handle; false when the lock is gone already (no handle may be added). */
  synchronized boolean enter() {
    if (ended != null) {
      return false;
    }
    count++;
    return true;
  }

  /** One handle lets go; true when it was the last, so that the server's lock must be released. */
  synchronized boolean leave() {
    return --count == 0;
  }

  /** Undoes {@link #leave} after a release that did not go through: the lock may still be held. */
  synchronized void stay() {
    count++;
  }

  /** How the lock ended for this client: RELEASED or LOST; the turn passes to the next thread. */
  void end(HandleState how) {
    synchronized (this) {
      if (ended != null) {
        return;
      }
      ended = how;
    }
    endTurn.run();
  }

  /**
   * The grant was lost with its session, and the thread holding it acquires the name anew under
   * another: LOST, and the turn passes to the new hold rather than ending.
   */
  synchronized void supersede() {
    if (ended == null) {
      ended = HandleState.LOST;
    }
  }

  /** RELEASED or LOST once the lock is gone for this client; empty while it is held. */
  synchronized Optional<HandleState> ended() {
    return Optional.ofNullable(ended);
  }

  synchronized int count() {
    return count;
  }
}
