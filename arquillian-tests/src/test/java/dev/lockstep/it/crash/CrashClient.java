package dev.lockstep.it.crash;

import dev.lockstep.it.crash.ClientState.HeldGrant;
import dev.lockstep.it.crash.CounterLedger.GrantSeen;
import dev.lockstep.it.crash.FencedResource.Tenure;
import dev.lockstep.it.support.Api;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One contending client of the crash test: its own session, kept alive; over and over it picks a
 * lock, asks for it with a short wait, and while it holds it writes its fencing token to the {@link
 * FencedResource}. A request that a crash cuts off has an unknown outcome, so the client finds out
 * after the restart instead of guessing: an acquire by reading its session's locks (and asking
 * again, which gives the same grant), a release by sending it again.
 *
 * <p>It stops by itself after {@link #MAX_ROUNDS} rounds, at its deadline, or when told to, and
 * always lets go of what it holds first.
 */
final class CrashClient implements Runnable {
  static final Duration TTL = Duration.ofSeconds(60);
  private static final int MAX_ROUNDS = 20_000;
  private static final Duration KEEP_ALIVE_EVERY = Duration.ofSeconds(2);

  /** Longer than any restart: past it the server is not coming back and the client gives up. */
  private static final Duration MAX_DOWN = Duration.ofMinutes(4);

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private final String name;
  private final Api api;
  private final List<String> locks;
  private final Random random;
  private final ServerGate gate;
  private final FencedResource resource;
  private final CounterLedger ledger;
  private final Queue<SessionLoss> losses;
  private final Supplier<Instant> serverLaunchedAt;
  private final AtomicBoolean stop;
  private final long deadline;
  private final AtomicReference<ClientState> state = new AtomicReference<>(ClientState.none());
  private volatile Throwable failure;
  private int epoch;
  private long lastKeptAlive;
  private Instant expiresAt = Instant.MIN;
  private int grants;
  private int recovered;

  CrashClient(
      String name,
      Api api,
      List<String> locks,
      Random random,
      ServerGate gate,
      FencedResource resource,
      CounterLedger ledger,
      Queue<SessionLoss> losses,
      Supplier<Instant> serverLaunchedAt,
      AtomicBoolean stop,
      Duration runAtMost) {
    this.name = name;
    this.api = api;
    this.locks = locks;
    this.random = random;
    this.gate = gate;
    this.resource = resource;
    this.ledger = ledger;
    this.losses = losses;
    this.serverLaunchedAt = serverLaunchedAt;
    this.stop = stop;
    this.deadline = System.nanoTime() + runAtMost.toNanos();
  }

  @Override
  public void run() {
    try {
      openSession();
      for (int round = 0;
          round < MAX_ROUNDS && !stop.get() && System.nanoTime() < deadline;
          round++) {
        keepAliveIfDue();
        String lock = locks.get(random.nextInt(locks.size()));
        Optional<Tenure> tenure = acquire(lock);
        if (tenure.isPresent()) {
          hold(tenure.get());
        } else {
          Thread.sleep(random.nextInt(20));
        }
      }
      closeSession();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | AssertionError e) {
      failure = e;
    }
  }

  String name() {
    return name;
  }

  ClientState state() {
    return state.get();
  }

  Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  int grants() {
    return grants;
  }

  int recovered() {
    return recovered;
  }

  private void openSession() throws InterruptedException {
    HttpResponse<String> opened =
        sendUntilAnswered(
            "POST",
            "/api/v1/sessions",
            null,
            "{\"ttl\":\"PT" + TTL.toSeconds() + "S\",\"name\":\"" + name + "\"}");
    expect(201, opened);
    JsonObject json = Api.json(opened);
    lastKeptAlive = System.nanoTime();
    expiresAt = Instant.parse(json.getString("expiresAt"));
    state.set(
        new ClientState(
            json.getString("id"), json.getString("token"), System.nanoTime(), Optional.empty()));
  }

  private void closeSession() throws InterruptedException {
    ClientState s = state.get();
    HttpResponse<String> closed =
        sendUntilAnswered("DELETE", "/api/v1/sessions/" + s.session(), s.token(), null);
    if (closed.statusCode() != 204 && closed.statusCode() != 404) {
      expect(204, closed);
    }
  }

  private void keepAliveIfDue() throws InterruptedException {
    if (System.nanoTime() - lastKeptAlive < KEEP_ALIVE_EVERY.toNanos()) {
      return;
    }
    ClientState s = state.get();
    long sent = System.nanoTime();
    HttpResponse<String> kept =
        sendUntilAnswered(
            "POST", "/api/v1/sessions/" + s.session() + "/keepalive", s.token(), null);
    if (kept.statusCode() == 404) {
      sessionGone();
      return;
    }
    expect(200, kept);
    lastKeptAlive = sent;
    expiresAt = Instant.parse(Api.json(kept).getString("expiresAt"));
  }

  private Optional<Tenure> acquire(String lock) throws InterruptedException {
    ClientState s = state.get();
    Optional<HttpResponse<String>> answer =
        send(
            "PUT",
            "/api/v1/locks/" + lock,
            s.token(),
            "{\"mode\":\"exclusive\",\"wait\":\"PT1S\",\"owner\":\"" + name + "\"}");
    if (answer.isEmpty()) {
      return recover(lock);
    }
    HttpResponse<String> put = answer.get();
    if (put.statusCode() == 409) {
      return Optional.empty();
    }
    if (put.statusCode() == 401 && sessionIsGone()) {
      return Optional.empty();
    }
    expect(200, put);
    return Optional.of(granted(Api.json(put), false));
  }

  /** The acquire's answer was lost in a crash: the session's view says whether it was granted. */
  private Optional<Tenure> recover(String lock) throws InterruptedException {
    if (sessionIsGone()) {
      return Optional.empty();
    }
    ClientState s = state.get();
    JsonObject view =
        Api.json(sendUntilAnswered("GET", "/api/v1/sessions/" + s.session(), null, null));
    boolean holds =
        view.getJsonArray("locks").getValuesAs(JsonString.class).stream()
            .anyMatch(n -> n.getString().equals(lock));
    if (!holds) {
      return Optional.empty();
    }
    HttpResponse<String> again =
        sendUntilAnswered(
            "PUT",
            "/api/v1/locks/" + lock,
            s.token(),
            "{\"mode\":\"exclusive\",\"wait\":\"PT0S\",\"owner\":\"" + name + "\"}");
    expect(200, again);
    recovered++;
    return Optional.of(granted(Api.json(again), true));
  }

  private Tenure granted(JsonObject grant, boolean wasRecovered) {
    long ackedAt = System.nanoTime();
    ClientState s = state.get();
    String lock = grant.getString("name");
    long token = grant.getJsonNumber("fencingToken").longValueExact();
    if (!s.session().equals(grant.getString("session"))) {
      throw new AssertionError(name + " was granted " + lock + " for another session: " + grant);
    }
    state.set(s.withHeld(new HeldGrant(lock, token, ackedAt, 0)));
    ledger.grant(new GrantSeen(token, s.session(), lock, epoch, wasRecovered));
    grants++;
    Tenure tenure = new Tenure(lock, name, s.session(), token);
    resource.enter(tenure);
    return tenure;
  }

  private void hold(Tenure tenure) throws InterruptedException {
    // Long enough that a kill often finds holders, whose grants the restart must then keep.
    Thread.sleep(10 + random.nextInt(60));
    resource.write(tenure);
    resource.leave(tenure);
    release(tenure);
  }

  /** Sent again until answered: 204, or 409 when a try cut off by a crash had released it. */
  private void release(Tenure tenure) throws InterruptedException {
    while (true) {
      awaitGate();
      ClientState s = state.get();
      state.set(s.withHeld(s.held().orElseThrow().releasing(System.nanoTime())));
      HttpResponse<String> released;
      try {
        released =
            api.send("DELETE", "/api/v1/locks/" + tenure.lock(), s.token(), null, REQUEST_TIMEOUT);
      } catch (UncheckedIOException e) {
        Thread.sleep(50);
        continue;
      }
      if (released.statusCode() == 401 && sessionIsGone()) {
        return;
      }
      if (released.statusCode() != 409) {
        expect(204, released);
      }
      state.set(state.get().withHeld(null));
      return;
    }
  }

  /** Whether the session is gone; if so, the loss is judged and a new session opened. */
  private boolean sessionIsGone() throws InterruptedException {
    HttpResponse<String> view =
        sendUntilAnswered("GET", "/api/v1/sessions/" + state.get().session(), null, null);
    if (view.statusCode() == 200) {
      return false;
    }
    expect(404, view);
    sessionGone();
    return true;
  }

  private void sessionGone() throws InterruptedException {
    losses.add(
        SessionLoss.judge(
            name, state.get().session(), Instant.now(), expiresAt, serverLaunchedAt.get(), TTL));
    openSession();
  }

  private HttpResponse<String> sendUntilAnswered(
      String method, String path, String token, String body) throws InterruptedException {
    while (true) {
      Optional<HttpResponse<String>> answer = send(method, path, token, body);
      if (answer.isPresent()) {
        return answer.get();
      }
    }
  }

  /** Empty when the connection failed: the server died or was not there, the outcome unknown. */
  private Optional<HttpResponse<String>> send(String method, String path, String token, String body)
      throws InterruptedException {
    awaitGate();
    try {
      return Optional.of(api.send(method, path, token, body, REQUEST_TIMEOUT));
    } catch (UncheckedIOException e) {
      Thread.sleep(50);
      return Optional.empty();
    }
  }

  private void awaitGate() throws InterruptedException {
    epoch =
        gate.awaitOpen(MAX_DOWN)
            .orElseThrow(
                () ->
                    new IllegalStateException(name + ": the server was down for over " + MAX_DOWN));
  }

  private void expect(int status, HttpResponse<String> answer) {
    if (answer.statusCode() != status) {
      throw new AssertionError(
          name
              + ": expected "
              + status
              + " from "
              + answer.request().method()
              + " "
              + answer.request().uri()
              + " but got "
              + answer.statusCode()
              + " "
              + answer.body());
    }
  }
}
