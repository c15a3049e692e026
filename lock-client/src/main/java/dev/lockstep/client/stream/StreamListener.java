package dev.lockstep.client.stream;

import dev.lockstep.api.LockEvent;

/**
 * What the client's one {@link EventStream} tells the cache and the watches. Events come in
 * revision order, each once; the other calls may come on another thread than the events.
 */
public interface StreamListener {
  /** Connected (again); the events missed while disconnected come first. */
  default void connected() {}

  default void event(LockEvent event) {}

  /** The server no longer has the events after the last one seen: re-read the state. */
  default void reset(long revision) {}

  /** The connection broke; the stream is reconnecting. */
  default void disconnected() {}
}
