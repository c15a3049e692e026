package dev.lockstep.client;

/**
 * Told of every change of the client's session state: on the keep-alive thread, or on the thread
 * whose call found the change (opening the session, or seeing its TTL run out).
 */
@FunctionalInterface
public interface SessionListener {
  void stateChanged(String sessionId, SessionState from, SessionState to);
}
