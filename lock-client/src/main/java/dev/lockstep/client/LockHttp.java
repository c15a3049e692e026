package dev.lockstep.client;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.KeepAliveAnswer;
import dev.lockstep.api.LockList;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockView;
import dev.lockstep.api.Problem;
import dev.lockstep.api.SessionCreated;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The wire calls of shared/API.md over the Jakarta REST client. Answers are read as JSON text and
 * bound with JSON-B here, so that a problem+json answer is understood whatever providers the
 * runtime registers.
 */
final class LockHttp implements SessionCalls {
  private static final Jsonb JSONB = JsonbBuilder.create();
  private final WebTarget api;

  LockHttp(Client client, URI base) {
    this.api = client.target(base).path("api").path("v1");
  }

  @Override
  public SessionCreated openSession(Duration ttl, Optional<String> name) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ttl", ttl.toString());
    name.ifPresent(n -> body.put("name", n));
    return read(
        call(api.path("sessions").request(MediaType.APPLICATION_JSON), "POST", body),
        201,
        SessionCreated.class);
  }

  /** Keep-alive: the answer, or a ServerException with the status (404: the session is gone). */
  @Override
  public KeepAliveAnswer keepAlive(String id, String token) {
    return read(
        call(authorized(api.path("sessions").path(id).path("keepalive"), token), "POST", null),
        200,
        KeepAliveAnswer.class);
  }

  @Override
  public void closeSession(String id, String token) {
    expectNoContent(call(authorized(api.path("sessions").path(id), token), "DELETE", null));
  }

  /** Acquire: the grant, or LockNotGrantedException on 409, or ServerException. */
  GrantView acquire(String token, String name, LockMode mode, String owner, Duration wait) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("mode", mode.wireName());
    body.put("wait", wait.toString());
    if (owner != null) {
      body.put("owner", owner);
    }
    return read(call(authorized(locks(name), token), "PUT", body), 200, GrantView.class);
  }

  void release(String token, String name) {
    expectNoContent(call(authorized(locks(name), token), "DELETE", null));
  }

  /** Withdraws this session's queued request for the lock; false when none was queued. */
  boolean withdraw(String token, String name) {
    try (Response answer =
        call(authorized(locks(name).queryParam("queued", "true"), token), "DELETE", null)) {
      if (answer.getStatus() == 204) {
        return true;
      }
      if (answer.getStatus() == 409) {
        return false;
      }
      throw failure(answer);
    }
  }

  LockView view(String name) {
    return read(
        call(locks(name).request(MediaType.APPLICATION_JSON), "GET", null), 200, LockView.class);
  }

  LockList list(String prefix) {
    return read(
        call(
            api.path("locks").queryParam("prefix", prefix).request(MediaType.APPLICATION_JSON),
            "GET",
            null),
        200,
        LockList.class);
  }

  /** Where the event stream is read; {@code EventStream} reads it through a client of its own. */
  URI events() {
    return api.path("events").getUri();
  }

  private WebTarget locks(String name) {
    // Lock names hold only A-Z a-z 0-9 . _ - : / (checked before any call): no encoding needed.
    return api.path("locks").path(name);
  }

  private static Invocation.Builder authorized(WebTarget target, String token) {
    return target
        .request(MediaType.APPLICATION_JSON)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
  }

  private static Response call(Invocation.Builder request, String method, Object body) {
    try {
      return body == null
          ? request.method(method)
          : request.method(method, Entity.entity(JSONB.toJson(body), MediaType.APPLICATION_JSON));
    } catch (ProcessingException e) {
      throw new ServerException("lock server unreachable: " + e.getMessage(), e);
    }
  }

  private static <T> T read(Response answer, int expected, Class<T> type) {
    try (answer) {
      if (answer.getStatus() != expected) {
        throw failure(answer);
      }
      String body = answer.readEntity(String.class);
      if (body == null || body.isBlank()) {
        // Payara answers some malformed paths with an empty 200: never take that for success.
        throw new ServerException(answer.getStatus(), "empty answer from the lock server");
      }
      return JSONB.fromJson(body, type);
    } catch (ProcessingException e) {
      throw new ServerException("lock server unreachable: " + e.getMessage(), e);
    }
  }

  private static void expectNoContent(Response answer) {
    try (answer) {
      if (answer.getStatus() != 204) {
        throw failure(answer);
      }
    }
  }

  private static RuntimeException failure(Response answer) {
    Optional<Problem> answered = problemOf(answer).filter(p -> p.type() != null);
    if (answered.isEmpty()) {
      // Not the lock service's answer: the container's own page, as while the server starts and
      // the application is not deployed yet (404). Taking that 404 for "your session is gone"
      // would lose a session that the restarted server still has; the server is not there yet.
      return new ServerException("lock server not answering yet: HTTP " + answer.getStatus(), null);
    }
    Problem problem = answered.get();
    String detail = problem.detail();
    if (answer.getStatus() == 409 && problem.type().endsWith("/conflict")) {
      LockView view =
          problem.lock() == null
              ? null
              : new LockView(
                  problem.lock(),
                  problem.holders() == null || problem.holders().isEmpty()
                      ? LockView.FREE
                      : LockView.HELD,
                  null,
                  problem.holders() == null ? List.of() : problem.holders(),
                  problem.waiters() == null ? List.of() : problem.waiters(),
                  0);
      return new LockNotGrantedException(detail, view);
    }
    if (answer.getStatus() == 409 && problem.type().endsWith("/not-held")) {
      return new LockLostException(detail);
    }
    return new ServerException(answer.getStatus(), detail);
  }

  /** The answer's problem+json, if it is one (the container's own error pages are not). */
  private static Optional<Problem> problemOf(Response answer) {
    try {
      String body = answer.readEntity(String.class);
      return body == null || body.isBlank()
          ? Optional.empty()
          : Optional.ofNullable(JSONB.fromJson(body, Problem.class));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
