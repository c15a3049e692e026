package dev.lockstep.cli;

import dev.lockstep.api.LockList;
import dev.lockstep.api.Problem;
import dev.lockstep.api.SessionView;
import dev.lockstep.client.ServerException;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The reads {@code lockstep} needs that {@code LockClient}'s public API does not offer: the locks
 * under a prefix, a session's name, and the event stream from a given revision. They go through the
 * same Jakarta REST client (Jersey) the lock client runs on, never a second HTTP stack, and fail
 * with the lock client's {@link ServerException} (status 0: unreachable).
 */
final class ServerReads implements AutoCloseable {
  private static final Jsonb JSONB = JsonbBuilder.create();

  /**
   * The server sends a keep-alive comment at least every 15 s on an idle stream: three missed ones
   * mean the connection is dead, and the watch reconnects.
   */
  private static final int READ_TIMEOUT_SECONDS = 45;

  private final Client http;
  private final URI base;
  private final WebTarget api;

  ServerReads(URI base) {
    this.base = base;
    this.http =
        ClientBuilder.newBuilder()
            .connectTimeout(5, TimeUnit.SECONDS)
            .readTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .build();
    this.api = http.target(base).path("api").path("v1");
  }

  URI base() {
    return base;
  }

  /** {@code GET /api/v1/locks?prefix=}: the held or queued locks under {@code prefix}. */
  LockList locks(String prefix) {
    return read(api.path("locks").queryParam("prefix", prefix), LockList.class)
        .orElseThrow(() -> new ServerException(404, "no lock listing at " + base));
  }

  /** {@code GET /api/v1/sessions/{id}}; empty when the session has ended (404). */
  Optional<SessionView> session(String id) {
    return read(api.path("sessions").path(id), SessionView.class);
  }

  /** The event stream of shared/API.md, for {@link EventFeed}. */
  WebTarget events() {
    return api.path("events");
  }

  private static <T> Optional<T> read(WebTarget target, Class<T> type) {
    try (Response answer = target.request(MediaType.APPLICATION_JSON).get()) {
      String body = answer.readEntity(String.class);
      if (answer.getStatus() == 404) {
        return Optional.empty();
      }
      if (answer.getStatus() != 200 || body == null || body.isBlank()) {
        throw new ServerException(answer.getStatus(), detailOf(answer.getStatus(), body));
      }
      return Optional.of(JSONB.fromJson(body, type));
    } catch (ProcessingException e) {
      throw new ServerException("lock server unreachable: " + e.getMessage(), e);
    }
  }

  private static String detailOf(int status, String body) {
    try {
      Problem problem = JSONB.fromJson(body, Problem.class);
      if (problem != null && problem.detail() != null) {
        return problem.detail();
      }
    } catch (RuntimeException notAProblem) {
      // the container's own page, not the lock service's answer
    }
    return "the lock server answered HTTP " + status;
  }

  @Override
  public void close() {
    http.close();
  }
}
