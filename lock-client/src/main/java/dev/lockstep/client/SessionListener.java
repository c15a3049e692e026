package dev.lockstep.client;

/** Told of every change of the client's session state, on the keep-alive thread. */
@FunctionalInterface
public interface SessionListener {
  void stateChanged(String sessionId, SessionState from, SessionState to);
}
