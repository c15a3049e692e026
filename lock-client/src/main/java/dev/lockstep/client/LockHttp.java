package dev.lockstep.client;

import dev.lockstep.api.KeepAliveAnswer;
import dev.lockstep.api.LockList;
import dev.lockstep.api.LockView;
import dev.lockstep.api.SessionCreated;
import jakarta.json.bind.Jsonb;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The wire calls of shared/API.md over the Jakarta REST client. Answers are read as JSON text and
 * bound with JSON-B here, so that a problem+json answer is understood whatever providers the
 * runtime registers.
 *
 * <p>Every call has a read timeout of its own, so that a server that accepts connections but never
 * answers (a frozen process) cannot hold a caller past its deadline: a wait gets its own length
 * plus {@link #WAIT_MARGIN} (a poll of the grant channel), a keep-alive at most a third of the
 * session's TTL, every other call the call timeout, {@link #CALL_TIMEOUT}. The timeout is set per
 * request through Jersey's {@code jersey.config.client.readTimeout} property (a string: no compile
 * dependency on Jersey); callers that wait ({@link WaitInLine}) also bound their own wait, whatever
 * the implementation.
 *
 * <p>Calls go to the {@link ServerGroup}'s current server. A standby's not-leader answer means the
 * request was not carried out, and a refused connection that it was never sent: either way it is
 * sent again at once to the next server (the leader named, else the next URL), at most once per
 * server known. Any other failure is thrown and the next call goes to the next server: a request
 * that may have been carried out is never sent twice by this class.
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

  private final Client client;
  private final ServerGroup group;
  private final Duration callTimeout;
  private final Duration keepAliveTimeout;

  LockHttp(Client client, URI base, Duration callTimeout, Duration keepAliveTimeout) {
    this(client, new ServerGroup(List.of(base)), callTimeout, keepAliveTimeout);
  }

  /** Calls to whichever server of {@code group} is current, following its active server. */
  LockHttp(Client client, ServerGroup group, Duration callTimeout, Duration keepAliveTimeout) {
    this.client = client;
    this.group = group;
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
        call(api -> api.path("sessions").request(MediaType.APPLICATION_JSON), "POST", body),
        201,
        SessionCreated.class);
  }

  /** Keep-alive: the answer, or a ServerException with the status (404: the session is gone). */
  @Override
  public KeepAliveAnswer keepAlive(String id, String token) {
    return read(
        call(
            api -> authorized(api.path("sessions").path(id).path("keepalive"), token),
            "POST",
            null,
            keepAliveTimeout),
        200,
        KeepAliveAnswer.class);
  }

  @Override
  public void closeSession(String id, String token) {
    expectNoContent(call(api -> authorized(api.path("sessions").path(id), token), "DELETE", null));
  }

  /**
   * The batch call of the session whose token this is: its results, one per operation in order, or
   * {@link ServerException} when the batch as a whole was refused or not answered within {@code
   * timeout}. The server answers it at once (a wait is answered {@code 202 queued}). A standby's
   * answer or a refused connection sends it again to the next server, as every call; cancelling the
   * future abandons the latest attempt.
   */
  CompletableFuture<List<BatchWire.Result>> batch(
      String token, List<Operation> operations, Duration timeout) {
    Map<String, Object> body =
        Map.of("operations", operations.stream().map(Operation::toJson).toList());
    CompletableFuture<List<BatchWire.Result>> answer = new CompletableFuture<>();
    AtomicReference<Future<Response>> sent = new AtomicReference<>();
    new FollowingSend<List<BatchWire.Result>>(
            group,
            "POST",
            base -> timed(authorized(api(base).path("batch"), token), timeout),
            Entity.entity(json().toJson(body), MediaType.APPLICATION_JSON),
            answer,
            sent,
            response -> WireAnswers.read(response, 200, BatchWire::results, group.describe()),
            this::unreachable)
        .send(1);
    answer.whenComplete(
        (result, failure) -> {
          if (answer.isCancelled() && sent.get() != null) {
            sent.get().cancel(true);
          }
        });
    return answer;
  }

  /**
   * One long poll of the session's grant channel: the endings after {@code after}, waiting up to
   * {@code wait} for one; its read timeout is {@code wait} plus {@link #WAIT_MARGIN}.
   */
  BatchWire.Endings endings(String id, String token, long after, Duration wait) {
    return WireAnswers.read(
        call(
            api ->
                authorized(
                    api.path("sessions")
                        .path(id)
                        .path("grants")
                        .queryParam("after", after)
                        .queryParam("wait", wait.toString()),
                    token),
            "GET",
            null,
            wait.plus(WAIT_MARGIN)),
        200,
        BatchWire::endings,
        group.describe());
  }

  /** Where the calls go now, for messages. */
  String where() {
    return group.describe();
  }

  void release(String token, String name) {
    expectNoContent(call(api -> authorized(locks(api, name), token), "DELETE", null));
  }

  /** Withdraws this session's queued request for the lock; false when none was queued. */
  boolean withdraw(String token, String name) {
    try (Response answer =
        call(
            api -> authorized(locks(api, name).queryParam("queued", "true"), token),
            "DELETE",
            null)) {
      if (answer.getStatus() == 204) {
        return true;
      }
      if (answer.getStatus() == 409) {
        return false;
      }
      throw WireAnswers.failure(answer, group.describe());
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
            api -> authorized(locks(api, name).queryParam("request", requestId), token),
            "DELETE",
            null));
  }

  LockView view(String name) {
    return read(
        call(api -> locks(api, name).request(MediaType.APPLICATION_JSON), "GET", null),
        200,
        LockView.class);
  }

  LockList list(String prefix) {
    return read(
        call(
            api ->
                api.path("locks").queryParam("prefix", prefix).request(MediaType.APPLICATION_JSON),
            "GET",
            null),
        200,
        LockList.class);
  }

  /**
   * Where the event stream is read now; {@code EventStream} reads it through a client of its own,
   * and asks again at each reconnect, so that it follows the calls to a group's active server.
   */
  URI events() {
    return api(group.current()).path("events").getUri();
  }

  /**
   * The event stream at {@code events} failed to connect or met a standby: unless the calls moved
   * on already, the next connect (and call) goes to the next server of the group.
   */
  void streamUnanswered(URI events) {
    URI base = group.current();
    if (api(base).path("events").getUri().getAuthority().equals(events.getAuthority())) {
      group.unreachable(base);
    }
  }

  private WebTarget api(URI base) {
    return client.target(base).path("api").path("v1");
  }

  private static WebTarget locks(WebTarget api, String name) {
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

  private Response call(
      Function<WebTarget, Invocation.Builder> request, String method, Object body) {
    return call(request, method, body, callTimeout);
  }

  /** Sends to the current server, and again to the next while not sent or not carried out. */
  private Response call(
      Function<WebTarget, Invocation.Builder> request,
      String method,
      Object body,
      Duration timeout) {
    String json = body == null ? null : json().toJson(body);
    for (int tries = 1; ; tries++) {
      URI base = group.current();
      Response answer;
      try {
        Invocation.Builder timedRequest = timed(request.apply(api(base)), timeout);
        answer =
            json == null
                ? timedRequest.method(method)
                : timedRequest.method(method, Entity.entity(json, MediaType.APPLICATION_JSON));
      } catch (ProcessingException e) {
        group.unreachable(base);
        if (ServerGroup.refused(e) && tries < group.maxTries()) {
          continue;
        }
        throw unreachable(e);
      }
      Optional<String> leader = notLeader(answer);
      if (leader.isEmpty()) {
        return answer;
      }
      group.notLeader(base, leader.filter(l -> !l.isEmpty()));
      if (tries >= group.maxTries()) {
        return answer; // every server known said so: the caller is told, and tries again later
      }
      answer.close();
    }
  }

  private static Optional<String> notLeader(Response answer) {
    return WireAnswers.notLeader(answer);
  }

  private ServerException unreachable(Throwable e) {
    return WireAnswers.unreachable(group.describe(), e);
  }

  private <T> T read(Response answer, int expected, Class<T> type) {
    return WireAnswers.read(answer, expected, type, group.describe());
  }

  private void expectNoContent(Response answer) {
    WireAnswers.expectNoContent(answer, group.describe());
  }

  static Jsonb json() {
    return WireAnswers.json();
  }
}
