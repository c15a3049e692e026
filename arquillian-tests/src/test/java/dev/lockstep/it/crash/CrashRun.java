package dev.lockstep.it.crash;

import static org.awaitility.Awaitility.await;

import dev.lockstep.it.crash.ClientState.HeldGrant;
import dev.lockstep.it.crash.CounterLedger.ViewSeen;
import dev.lockstep.it.crash.FencedResource.Incident;
import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.LockServerProcess;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The crash test's controller: starts the server, lets the clients contend, kills the server at
 * random moments, checks after each restart what it kept, and gathers the figures.
 */
public final class CrashRun {
  private static final int CLIENTS = 8;
  private static final int LOCKS = 4;

  /** How long a life may go without a grant before it is killed anyway (and the run fails). */
  private static final Duration FIRST_GRANT_AT_MOST = Duration.ofSeconds(60);

  /**
   * Kills come 1.5 to 4.5 s after each life's first grant: enough for many hand-offs, short enough
   * for CI.
   */
  private static final int MIN_LIFE_MILLIS = 1_500;

  private static final int LIFE_SPREAD_MILLIS = 3_000;
  private static final Duration CLIENTS_RUN_AT_MOST = Duration.ofMinutes(6);
  private static final Duration JOIN_AT_MOST = Duration.ofSeconds(60);

  /** What the run saw; the test asserts on it. */
  public record Outcome(
      int restarts,
      long handoffs,
      List<Incident> violations,
      int distinctTokens,
      int grants,
      int recoveredGrants,
      int keptGrantsChecked,
      int views,
      List<String> clientFailures,
      List<String> counterProblems,
      List<String> lostOverRestart,
      List<SessionLoss> illegitimateSessionLosses,
      List<Integer> livesWithoutGrants) {}

  /** A session, and maybe a grant, that the restart must have kept. */
  private record Kept(String client, String session, Optional<HeldGrant> grant) {}

  private final LockServerProcess server;
  private final long seed;
  private final int kills;
  private final ServerGate gate = new ServerGate();
  private final FencedResource resource = new FencedResource();
  private final CounterLedger ledger = new CounterLedger();
  private final Queue<SessionLoss> losses = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<String> lostOverRestart = new ArrayList<>();
  private volatile Instant launchedAt;
  private int keptGrantsChecked;

  public CrashRun(LockServerProcess server, long seed, int kills) {
    this.server = server;
    this.seed = seed;
    this.kills = kills;
  }

  public Outcome run() throws InterruptedException {
    Random moments = new Random(seed);
    String prefix = "it/crash/" + UUID.randomUUID() + "/";
    List<String> locks = IntStream.range(0, LOCKS).mapToObj(i -> prefix + "lock-" + i).toList();

    server.start();
    launchedAt = server.launchedAt();
    gate.open(0);
    // Loopback by address: "localhost" could resolve elsewhere first.
    URI loopback = URI.create("http://127.0.0.1:" + server.api().base().getPort());
    List<CrashClient> clients =
        IntStream.range(0, CLIENTS)
            .mapToObj(
                i ->
                    new CrashClient(
                        "crash-client-" + i,
                        new Api(loopback),
                        locks,
                        new Random(seed + 1 + i),
                        gate,
                        resource,
                        ledger,
                        losses,
                        () -> launchedAt,
                        stop,
                        CLIENTS_RUN_AT_MOST))
            .toList();
    List<Thread> threads = new ArrayList<>();
    for (CrashClient client : clients) {
      threads.add(started(client.name(), client));
    }
    threads.add(started("crash-monitor", () -> watchViews(new Api(loopback), locks)));

    int restarts = 0;
    try {
      for (int kill = 1; kill <= kills; kill++) {
        liveFor(kill - 1, moments, "kill " + kill);
        gate.close();
        long killStarted = System.nanoTime();
        server.kill();
        long killEnded = System.nanoTime();
        // Answers that arrived before the kill are recorded a moment after they arrived.
        Thread.sleep(200);
        List<Kept> kept = mustBeKept(clients, killStarted, killEnded);
        server.start();
        launchedAt = server.launchedAt();
        restarts++;
        checkKept(kept, kill);
        gate.open(kill);
      }
      liveFor(kills, moments, "stop");
    } finally {
      stop.set(true);
      gate.open(restarts);
      joinAll(threads);
    }

    List<String> failures = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      CrashClient c = clients.get(i);
      c.failure().ifPresent(f -> failures.add(c.name() + ": " + f));
      if (threads.get(i).isAlive()) {
        failures.add(c.name() + " did not stop within " + JOIN_AT_MOST);
      }
    }
    Set<String> expiredLegitimately =
        losses.stream()
            .filter(SessionLoss::legitimate)
            .map(SessionLoss::session)
            .collect(Collectors.toSet());
    int lives = restarts;
    return new Outcome(
        restarts,
        resource.handoffs(),
        resource.violations(expiredLegitimately),
        ledger.distinctTokens(),
        clients.stream().mapToInt(CrashClient::grants).sum(),
        clients.stream().mapToInt(CrashClient::recovered).sum(),
        keptGrantsChecked,
        ledger.views(),
        failures,
        ledger.problems(),
        List.copyOf(lostOverRestart),
        losses.stream().filter(l -> !l.legitimate()).toList(),
        IntStream.rangeClosed(0, lives).filter(e -> ledger.grantsIn(e) == 0).boxed().toList());
  }

  /**
   * Lets the server live for a random while after its first grant: the moment of the next kill is
   * the point, so this sleeps rather than awaiting a condition. It counts from the life's first
   * grant, not from its start, because on a loaded machine the clients can take seconds to get
   * going, and a life killed before any grant tests nothing.
   */
  private void liveFor(int life, Random moments, String until) throws InterruptedException {
    try {
      await("life " + life + "'s first grant")
          .atMost(FIRST_GRANT_AT_MOST)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> ledger.grantsIn(life) > 0);
    } catch (ConditionTimeoutException e) {
      // Killed anyway: the outcome lists the life without grants, and the test fails on it.
    }
    int millis = MIN_LIFE_MILLIS + moments.nextInt(LIFE_SPREAD_MILLIS);
    System.out.println("CRASH " + until + " after " + millis + " ms");
    Thread.sleep(millis);
  }

  /**
   * Every session whose creation was answered before the kill, and every grant answered before it
   * whose release could not have reached the server (none sent, or sent after it died).
   */
  private static List<Kept> mustBeKept(
      List<CrashClient> clients, long killStarted, long killEnded) {
    List<Kept> kept = new ArrayList<>();
    for (CrashClient client : clients) {
      ClientState s = client.state();
      if (s.session() != null && s.sessionAckedAt() < killStarted) {
        kept.add(
            new Kept(
                client.name(),
                s.session(),
                s.held().filter(g -> g.mustSurvive(killStarted, killEnded))));
      }
    }
    return kept;
  }

  /** Before any client may talk to the new life: the kept state, read as anyone can read it. */
  private void checkKept(List<Kept> kept, int life) {
    Api api = server.api();
    for (Kept k : kept) {
      HttpResponse<String> session = api.session(k.session());
      if (session.statusCode() != 200) {
        SessionLoss loss =
            SessionLoss.judge(
                k.client(), k.session(), Instant.now(), Instant.MIN, launchedAt, CrashClient.TTL);
        if (!loss.legitimate()) {
          lostOverRestart.add(
              "restart "
                  + life
                  + ": session "
                  + k.session()
                  + " of "
                  + k.client()
                  + " answered "
                  + session.statusCode()
                  + " "
                  + session.body());
        }
        continue;
      }
      if (k.grant().isEmpty()) {
        continue;
      }
      HeldGrant grant = k.grant().get();
      keptGrantsChecked++;
      List<String> sessionLocks =
          Api.json(session).getJsonArray("locks").getValuesAs(JsonString.class).stream()
              .map(JsonString::getString)
              .toList();
      JsonObject view = api.lock(grant.lock());
      ledger.view(viewSeen(view, life));
      boolean held =
          view.getJsonArray("holders").getValuesAs(JsonObject.class).stream()
              .anyMatch(
                  h ->
                      h.getString("session").equals(k.session())
                          && h.getJsonNumber("fencingToken").longValueExact() == grant.token());
      if (!held || !sessionLocks.contains(grant.lock())) {
        lostOverRestart.add(
            "restart "
                + life
                + ": grant "
                + grant
                + " of "
                + k.client()
                + " missing; session locks "
                + sessionLocks
                + ", lock view "
                + view);
      }
    }
  }

  /** Reads the locks' views while the server is open to clients, for their revisions. */
  private void watchViews(Api api, List<String> locks) {
    try {
      while (!stop.get()) {
        OptionalInt life = gate.awaitOpen(Duration.ofSeconds(1));
        if (life.isEmpty()) {
          continue;
        }
        for (String lock : locks) {
          try {
            HttpResponse<String> view =
                api.send("GET", "/api/v1/locks/" + lock, null, null, Duration.ofSeconds(10));
            if (view.statusCode() == 200) {
              ledger.view(viewSeen(Api.json(view), life.getAsInt()));
            }
          } catch (UncheckedIOException e) {
            // Killed under the read: the next life is read once the gate opens again.
          }
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ViewSeen viewSeen(JsonObject view, int life) {
    String mode = view.get("mode") instanceof JsonString s ? s.getString() : null;
    return new ViewSeen(
        view.getJsonNumber("revision").longValueExact(),
        view.getString("name"),
        mode,
        view.getJsonArray("holders").size(),
        life);
  }

  private static Thread started(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Waits for every thread to end, then interrupts those still alive (the run reports them). */
  private static void joinAll(List<Thread> threads) {
    try {
      await("the clients and the monitor stopping")
          .atMost(JOIN_AT_MOST)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> threads.stream().noneMatch(Thread::isAlive));
    } catch (ConditionTimeoutException e) {
      // The outcome names each client that did not stop.
    }
    threads.stream().filter(Thread::isAlive).forEach(Thread::interrupt);
  }
}
