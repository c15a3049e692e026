package dev.lockstep.client;

/**
 * Chubby's session states (Curator calls jeopardy SUSPENDED). NONE until the first call that needs
 * a session; LIVE while keep-alives get through; JEOPARDY when they fail and the TTL may not have
 * passed yet, so every lock may or may not still be held; LOST once the TTL has certainly passed or
 * the server says the session is gone; CLOSED after {@code close()}.
 */
public enum SessionState {
  NONE,
  LIVE,
  JEOPARDY,
  LOST,
  CLOSED
}
