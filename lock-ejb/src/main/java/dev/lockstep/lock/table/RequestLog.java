package dev.lockstep.lock.table;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What became of a session's recent acquire requests that named themselves (the acquire body's
 * {@code requestId}): the grant each one got, or that the client cancelled it. A client that gave
 * up on a request it sent to a frozen server cannot know whether the server has read it yet; its
 * cancel, once answered, makes sure the request holds nothing: it is withdrawn if queued, its grant
 * released if it got one, and refused if the server reads it only later. Kept in memory for the
 * session's life, at most {@link #CAPACITY} per session: a request in flight dies with its
 * connection when the server restarts, so a restart has nothing to remember.
 */
final class RequestLog {
  /** The most requests remembered per session; the oldest is forgotten first. */
  static final int CAPACITY = 64;

  private static final long CANCELLED = 0;

  // Fencing tokens are positive, so CANCELLED cannot be mistaken for a grant.
  private final Map<String, Long> outcomes =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > CAPACITY;
        }
      };

  void granted(String request, long fencingToken) {
    if (request != null) {
      outcomes.put(request, fencingToken);
    }
  }

  void cancelled(String request) {
    outcomes.remove(request); // re-inserted, so that it is the newest
    outcomes.put(request, CANCELLED);
  }

  boolean isCancelled(String request) {
    return request != null && outcomes.getOrDefault(request, -1L) == CANCELLED;
  }

  /** The fencing token the request was granted, unless it was cancelled since. */
  OptionalLong grantOf(String request) {
    Long token = outcomes.get(request);
    return token == null || token == CANCELLED ? OptionalLong.empty() : OptionalLong.of(token);
  }
}
