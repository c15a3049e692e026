package dev.lockstep.lock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The grant channels of the sessions that have one, made on first use and dropped when their
 * session ends; and the server-wide bound on polls waiting at once, {@link #MAX_POLLS} by default.
 * In memory only: after a restart (or a takeover) the counting starts again, which a client sees as
 * a reset, and it re-reads its waits, which went with the restart as every wait does.
 */
final class GrantChannels {
  /** Grant polls waiting at once on the whole server, documented in the README. */
  static final int MAX_POLLS = 10_000;

  private final Map<String, GrantChannel> bySession = new ConcurrentHashMap<>();
  private final Semaphore polls;

  GrantChannels() {
    this(MAX_POLLS);
  }

  GrantChannels(int maxPolls) {
    this.polls = new Semaphore(maxPolls);
  }

  /**
   * The session's channel, made if it has none. Called under the table lock with the session live,
   * so that no channel is made for a session whose end was already applied.
   */
  GrantChannel of(String sessionId) {
    return bySession.computeIfAbsent(sessionId, id -> new GrantChannel(polls));
  }

  /** The session ended and its end is stored: its channel goes, its waiting polls are answered. */
  void ended(String sessionId) {
    GrantChannel channel = bySession.remove(sessionId);
    if (channel != null) {
      channel.close();
    }
  }

  int size() {
    return bySession.size();
  }
}
