package dev.lockstep.client;

import dev.lockstep.api.KeepAliveAnswer;
import dev.lockstep.api.LockList;
import dev.lockstep.api.LockView;
import dev.lockstep.api.Problem;
import dev.lockstep.api.SessionCreated;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.InvocationCallback;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The wire calls of shared/API.md and of the batch call and grant channel (README, "What the server
 * adds to the contract") over the Jakarta REST client. Answers are read as JSON text and bound with
 * JSON-B here, so that a problem+json answer is understood whatever providers the runtime
 * registers.
 *
 * <p>Every call has a read timeout of its own, so that a server that accepts connections but never
 * answers (a frozen process) cannot hold a caller past its deadline: a wait gets its own length
 * plus {@link #WAIT_MARGIN} (a poll of the grant channel), a keep-alive at most a third of the
 * session's TTL, every other call the call timeout, {@link #CALL_TIMEOUT}. The timeout is set per
 * request through Jersey's {@code jersey.config.client.readTimeout} property (a string: no compile
 * dependency on Jersey); callers that wait ({@link WaitInLine}) also bound their own wait, whatever
 * the implementation.
 */
final class LockHttp implements SessionCalls {

  /** What an acquire's read timeout adds to its wait: the server answers a run-out wait at once. */
  static final Duration WAIT_MARGIN = Duration.ofMillis(700);

  /**
   * The read timeout of every call that does not wait (release, withdraw, status, open and close
   * the session): a release returns or fails within it plus {@link #CONNECT_TIMEOUT}. Generous for
   * a loaded server (a fresh server's first answers take seconds), small next to a TTL.
   */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  /** How long any call may take to connect. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private static final String READ_TIMEOUT = "jersey.config.client.readTimeout";

  private static volatile Jsonb jsonb;

  private final WebTarget api;
  private final URI base;
  private final Duration callTimeout;
  private final Duration keepAliveTimeout;

  LockHttp(Client client, URI base, Duration callTimeout, Duration keepAliveTimeout) {
    this.api = client.target(base).path("api").path("v1");
    this.base = base;
    this.callTimeout = callTimeout;
    this.keepAliveTimeout = keepAliveTimeout;
  }

  /** A keep-alive must fail well before the TTL runs out: at most a third of it. */
  static Duration keepAliveTimeout(Duration ttl) {
    Duration third = ttl.dividedBy(3);
    return third.compareTo(CALL_TIMEOUT) < 0 ? third : CALL_TIMEOUT;
  }

  /** The read timeout of every call that does not wait. */
  Duration callTimeout() {
    return callTimeout;
  }

  /** The read timeout of a keep-alive, and of a batch that carries one. */
  Duration keepAliveTimeout() {
    return keepAliveTimeout;
  }

  @Override
  public SessionCreated openSession(Duration ttl, Optional<String> name) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ttl", ttl.toString());
    name.ifPresent(n -> body.put("name", n));
    return read(
        call(api.path("sessions").request(MediaType.APPLICATION_JSON), "POST", body, callTimeout),
        201,
        SessionCreated.class);
  }

  /** Keep-alive: the answer, or a ServerException with the status (404: the session is gone). */
  @Override
  public KeepAliveAnswer keepAlive(String id, String token) {
    return read(
        call(
            authorized(api.path("sessions").path(id).path("keepalive"), token),
            "POST",
            null,
            keepAliveTimeout),
        200,
        KeepAliveAnswer.class);
  }

  @Override
  public void closeSession(String id, String token) {
    expectNoContent(
        call(authorized(api.path("sessions").path(id), token), "DELETE", null, callTimeout));
  }

  /**
   * The batch call of the session whose token this is: its results, one per operation in order, or
   * {@link ServerException} when the batch as a whole was refused or not answered within {@code
   * timeout}. The server answers it at once (a wait is answered {@code 202 queued}).
   */
  CompletableFuture<List<BatchWire.Result>> batch(
      String token, List<Operation> operations, Duration timeout) {
    Map<String, Object> body =
        Map.of("operations", operations.stream().map(Operation::toJson).toList());
    return async(
        timed(authorized(api.path("batch"), token), timeout),
        "POST",
        body,
        response -> read(response, 200, BatchWire::results));
  }

  /**
   * One long poll of the session's grant channel: the endings after {@code after}, waiting up to
   * {@code wait} for one; its read timeout is {@code wait} plus {@link #WAIT_MARGIN}.
   */
  BatchWire.Endings endings(String id, String token, long after, Duration wait) {
    WebTarget target =
        api.path("sessions")
            .path(id)
            .path("grants")
            .queryParam("after", after)
            .queryParam("wait", wait.toString());
    return read(
        call(authorized(target, token), "GET", null, wait.plus(WAIT_MARGIN)),
        200,
        BatchWire::endings);
  }

  /** Sends at once; the answer completes later. Cancelling the future abandons the request. */
  private <T> CompletableFuture<T> async(
      Invocation.Builder request, String method, Object body, Function<Response, T> reader) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    Future<Response> sent;
    try {
      sent =
          request
              .async()
              .method(
                  method,
                  Entity.entity(json().toJson(body), MediaType.APPLICATION_JSON),
                  new InvocationCallback<Response>() {
                    @Override
                    public void completed(Response response) {
                      try {
                        answer.complete(reader.apply(response));
                      } catch (RuntimeException e) {
                        answer.completeExceptionally(e);
                      }
                    }

                    @Override
                    public void failed(Throwable failure) {
                      answer.completeExceptionally(unreachable(failure));
                    }
                  });
    } catch (ProcessingException e) {
      throw unreachable(e);
    }
    answer.whenComplete(
        (result, failure) -> {
          if (answer.isCancelled()) {
            sent.cancel(true);
          }
        });
    return answer;
  }

  void release(String token, String name) {
    expectNoContent(call(authorized(locks(name), token), "DELETE", null, callTimeout));
  }

  /** Withdraws this session's queued request for the lock; false when none was queued. */
  boolean withdraw(String token, String name) {
    try (Response answer =
        call(
            authorized(locks(name).queryParam("queued", "true"), token),
            "DELETE",
            null,
            callTimeout)) {
      if (answer.getStatus() == 204) {
        return true;
      }
      if (answer.getStatus() == 409) {
        return false;
      }
      throw failure(answer);
    }
  }

  /**
   * Cancels the session's acquire named {@code requestId}, whatever became of it: once this
   * returns, that request holds nothing on the server and never will (README, "What the server adds
   * to the contract").
   *
   * @throws ServerException when the server did not answer, or refused the call
   */
  void cancel(String token, String name, String requestId) {
    expectNoContent(
        call(
            authorized(locks(name).queryParam("request", requestId), token),
            "DELETE",
            null,
            callTimeout));
  }

  LockView view(String name) {
    return read(
        call(locks(name).request(MediaType.APPLICATION_JSON), "GET", null, callTimeout),
        200,
        LockView.class);
  }

  LockList list(String prefix) {
    return read(
        call(
            api.path("locks").queryParam("prefix", prefix).request(MediaType.APPLICATION_JSON),
            "GET",
            null,
            callTimeout),
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

  private static Invocation.Builder timed(Invocation.Builder request, Duration timeout) {
    return request.property(READ_TIMEOUT, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  private Response call(Invocation.Builder request, String method, Object body, Duration timeout) {
    try {
      Invocation.Builder timedRequest = timed(request, timeout);
      return body == null
          ? timedRequest.method(method)
          : timedRequest.method(
              method, Entity.entity(json().toJson(body), MediaType.APPLICATION_JSON));
    } catch (ProcessingException e) {
      throw unreachable(e);
    }
  }

  private ServerException unreachable(Throwable e) {
    return new ServerException("lock server at " + base + " unreachable: " + e.getMessage(), e);
  }

  private <T> T read(Response answer, int expected, Class<T> type) {
    return read(answer, expected, body -> json().fromJson(body, type));
  }

  private <T> T read(Response answer, int expected, Function<String, T> parser) {
    try (answer) {
      if (answer.getStatus() != expected) {
        throw failure(answer);
      }
      String body = answer.readEntity(String.class);
      if (body == null || body.isBlank()) {
        // Payara answers some malformed paths with an empty 200: never take that for success.
        throw new ServerException(answer.getStatus(), "empty answer from the lock server");
      }
      return parser.apply(body);
    } catch (ProcessingException e) {
      throw unreachable(e);
    }
  }

  private void expectNoContent(Response answer) {
    try (answer) {
      if (answer.getStatus() != 204) {
        throw failure(answer);
      }
    }
  }

  private RuntimeException failure(Response answer) {
    return Refusals.of(answer.getStatus(), problemOf(answer), base);
  }

  /** The answer's problem+json, if it is one (the container's own error pages are not). */
  private static Optional<Problem> problemOf(Response answer) {
    try {
      String body = answer.readEntity(String.class);
      return body == null || body.isBlank()
          ? Optional.empty()
          : Optional.ofNullable(json().fromJson(body, Problem.class));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * JSON-B, created on first use: without an implementation on the class path (Yasson), the call
   * says which artifact to add rather than failing with a bare {@code ExceptionInInitializerError}.
   */
  static Jsonb json() {
    Jsonb created = jsonb;
    if (created == null) {
      synchronized (LockHttp.class) {
        if (jsonb == null) {
          jsonb = Providers.jsonb(JsonbBuilder::create);
        }
        created = jsonb;
      }
    }
    return created;
  }
}
