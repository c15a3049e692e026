package dev.lockstep.client;

import dev.lockstep.api.KeepAliveAnswer;
import dev.lockstep.api.SessionCreated;
import java.time.Duration;
import java.util.Optional;

/**
 * The session calls of the wire contract, as {@link Sessions} needs them: an interface so that its
 * TTL and jeopardy rules are unit-tested without a server. {@link LockHttp} is the one real
 * implementation; each call throws {@link ServerException} when refused or unreachable.
 */
interface SessionCalls {
  SessionCreated openSession(Duration ttl, Optional<String> name);

  KeepAliveAnswer keepAlive(String id, String token);

  void closeSession(String id, String token);
}
