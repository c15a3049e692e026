package dev.lockstep.client;

import dev.lockstep.api.LockEvent;

/**
 * Callbacks of a watch, one per event kind, on the client's event-stream thread, in revision order.
 * Keep them short: a slow callback delays every later event of the client.
 */
public interface LockListener {
  default void acquired(LockEvent event) {}

  default void released(LockEvent event) {}

  default void expired(LockEvent event) {}

  default void queued(LockEvent event) {}

  default void dequeued(LockEvent event) {}

  default void sessionExpired(LockEvent event) {}

  /** The server no longer had the events after the last one seen; some changes were missed. */
  default void reset(long revision) {}
}
