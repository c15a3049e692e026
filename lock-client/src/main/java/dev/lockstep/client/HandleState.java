package dev.lockstep.client;

/** What a handle can say about its lock without asking the server. */
public enum HandleState {
  /** Held: the session is live and the lock was not released. */
  HELD,
  /** The session is in jeopardy: the lock may or may not still be held. Stop guarded work. */
  UNCERTAIN,
  /** The session is lost: the server has released the lock. */
  LOST,
  /** Released through this handle. */
  RELEASED
}
