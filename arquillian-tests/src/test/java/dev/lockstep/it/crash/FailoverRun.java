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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The failover test's controller: eight {@link FailoverClient}s contend for four locks through the
 * lock client while the active server of a two-server group is {@code kill -9}ed at random moments
 * and started again as a standby. After each kill it measures the takeover (from the kill to the
 * first request the other server answers as the active one) and checks, before the clients are
 * likely to have moved on, that every session and grant answered before the kill is there.
 */
public final class FailoverRun {
  private static final int CLIENTS = 8;
  private static final int LOCKS = 4;
  private static final Duration FIRST_GRANT_AT_MOST = Duration.ofSeconds(60);
  private static final Duration TAKEOVER_AT_MOST = Duration.ofSeconds(30);
  private static final int MIN_LIFE_MILLIS = 1_500;
  private static final int LIFE_SPREAD_MILLIS = 3_000;
  private static final Duration JOIN_AT_MOST = Duration.ofSeconds(60);

  /** What the run saw; the test asserts on it. */
  public record Outcome(
      List<Long> takeoverMillis,
      long handoffs,
      List<Incident> violations,
      int grants,
      int callFailures,
      List<String> clientFailures,
      List<String> counterProblems,
      List<String> lostOverTakeover,
      List<Integer> livesWithoutGrants) {}

  private final List<LockServerProcess> servers;
  private final long seed;
  private final int kills;
  private final FencedResource resource = new FencedResource();
  private final CounterLedger ledger = new CounterLedger();
  private final Queue<String> losses = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<String> lostOverTakeover = new ArrayList<>();
  private volatile int life;

  /** {@code servers}: the group, running, one of them active. */
  public FailoverRun(List<LockServerProcess> servers, long seed, int kills) {
    this.servers = servers;
    this.seed = seed;
    this.kills = kills;
  }

  public Outcome run() throws InterruptedException {
    Random moments = new Random(seed);
    String prefix = "it/failover/" + UUID.randomUUID() + "/";
    List<String> locks = IntStream.range(0, LOCKS).mapToObj(i -> prefix + "lock-" + i).toList();
    // Loopback by address: "localhost" could resolve elsewhere first.
    List<URI> group =
        servers.stream()
            .map(s -> URI.create("http://127.0.0.1:" + s.api().base().getPort()))
            .toList();
    List<FailoverClient> clients =
        IntStream.range(0, CLIENTS)
            .mapToObj(
                i ->
                    new FailoverClient(
                        "failover-client-" + i,
                        group,
                        locks,
                        new Random(seed + 1 + i),
                        resource,
                        ledger,
                        () -> life,
                        stop,
                        losses))
            .toList();
    List<Thread> threads = new ArrayList<>();
    for (FailoverClient client : clients) {
      threads.add(started(client.name(), client));
    }
    threads.add(started("failover-monitor", () -> watchViews(group, locks)));

    List<Long> takeovers = new ArrayList<>();
    try {
      for (int kill = 1; kill <= kills; kill++) {
        liveFor(kill - 1, moments, "kill " + kill);
        LockServerProcess active = active();
        LockServerProcess standby = other(active);
        long killStarted = System.nanoTime();
        active.kill();
        long killEnded = System.nanoTime();
        life = kill;
        List<Kept> kept = mustBeKept(clients, killStarted);
        long millis = takeover(standby, locks.get(0), killStarted);
        takeovers.add(millis);
        System.out.println("FAILOVER takeover " + kill + ": " + millis + " ms");
        checkKept(standby.api(), kept, clients, killEnded, kill);
        active.startStandby();
      }
      liveFor(kills, moments, "stop");
    } finally {
      stop.set(true);
      joinAll(threads);
    }

    List<String> failures = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      FailoverClient c = clients.get(i);
      c.failure().ifPresent(f -> failures.add(c.name() + ": " + f));
      if (threads.get(i).isAlive()) {
        failures.add(c.name() + " did not stop within " + JOIN_AT_MOST);
      }
    }
    List<String> lost = new ArrayList<>(lostOverTakeover);
    lost.addAll(losses);
    return new Outcome(
        takeovers,
        resource.handoffs(),
        resource.violations(Set.of()), // a session may never expire here: every incident counts
        clients.stream().mapToInt(FailoverClient::grants).sum(),
        clients.stream().mapToInt(FailoverClient::callFailures).sum(),
        failures,
        ledger.problems(),
        lost,
        IntStream.rangeClosed(0, kills).filter(e -> ledger.grantsIn(e) == 0).boxed().toList());
  }

  /** A session, and maybe a grant, that the takeover must have kept. */
  private record Kept(String client, String session, Optional<HeldGrant> grant) {}

  /**
   * The active server now: the one whose readiness check is up. Between kills the group settles
   * (the restarted standby is live, the other one active), so this is quick.
   */
  private LockServerProcess active() {
    return await("an active server")
        .atMost(TAKEOVER_AT_MOST)
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .until(
            () ->
                servers.stream()
                    .filter(LockServerProcess::isRunning)
                    .filter(s -> s.api().get("/health/ready").statusCode() == 200)
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  private LockServerProcess other(LockServerProcess server) {
    return servers.stream().filter(s -> s != server).findFirst().orElseThrow();
  }

  /** From the kill to the first lock view the new active answers, in milliseconds. */
  private static long takeover(LockServerProcess next, String lock, long killStarted) {
    await("the standby takes over")
        .atMost(TAKEOVER_AT_MOST)
        .pollInterval(Duration.ofMillis(10))
        .ignoreExceptionsInstanceOf(UncheckedIOException.class)
        .until(
            () ->
                next.api()
                        .send("GET", "/api/v1/locks/" + lock, null, null, Duration.ofSeconds(5))
                        .statusCode()
                    == 200);
    return (System.nanoTime() - killStarted) / 1_000_000;
  }

  /**
   * Lets the active live for a random while after the life's first grant: the moment of the kill is
   * the point, so this sleeps rather than awaiting a condition.
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
    System.out.println("FAILOVER " + until + " after " + millis + " ms");
    Thread.sleep(millis);
  }

  /** Every session known before the kill, and every grant answered before it and not let go. */
  private static List<Kept> mustBeKept(List<FailoverClient> clients, long killStarted) {
    List<Kept> kept = new ArrayList<>();
    for (FailoverClient client : clients) {
      ClientState s = client.state();
      if (s.session() != null && s.sessionAckedAt() < killStarted) {
        kept.add(
            new Kept(
                client.name(),
                s.session(),
                s.held().filter(g -> g.ackedAt() < killStarted && g.releaseSentAt() == 0)));
      }
    }
    return kept;
  }

  /**
   * The kept state, read from the new active. A grant its client has let go of since the takeover
   * is skipped here: that release's answer says whether it was still held ({@link FailoverClient}).
   */
  private void checkKept(
      Api api, List<Kept> kept, List<FailoverClient> clients, long killEnded, int kill) {
    for (Kept k : kept) {
      HttpResponse<String> session = api.session(k.session());
      if (session.statusCode() != 200) {
        lostOverTakeover.add(
            "takeover "
                + kill
                + ": session "
                + k.session()
                + " of "
                + k.client()
                + " answered "
                + session.statusCode()
                + " "
                + session.body());
        continue;
      }
      if (k.grant().isEmpty()) {
        continue;
      }
      HeldGrant grant = k.grant().get();
      JsonObject view = api.lock(grant.lock());
      ledger.view(viewSeen(view, kill));
      boolean held =
          view.getJsonArray("holders").getValuesAs(JsonObject.class).stream()
              .anyMatch(
                  h ->
                      h.getString("session").equals(k.session())
                          && h.getJsonNumber("fencingToken").longValueExact() == grant.token());
      if (!held && stillHolds(clients, k.client(), grant)) {
        lostOverTakeover.add(
            "takeover " + kill + ": grant " + grant + " of " + k.client() + " missing: " + view);
      }
    }
  }

  /** Whether the client still holds the grant and has sent no release of it. */
  private static boolean stillHolds(List<FailoverClient> clients, String client, HeldGrant grant) {
    return clients.stream()
        .filter(c -> c.name().equals(client))
        .anyMatch(
            c ->
                c.state()
                    .held()
                    .filter(h -> h.token() == grant.token() && h.releaseSentAt() == 0)
                    .isPresent());
  }

  /** Reads the locks' views through whichever server is active, for their revisions. */
  private void watchViews(List<URI> group, List<String> locks) {
    List<Api> apis = group.stream().map(Api::new).toList();
    try {
      while (!stop.get()) {
        for (String lock : locks) {
          for (Api api : apis) {
            int before = life;
            try {
              HttpResponse<String> view =
                  api.send("GET", "/api/v1/locks/" + lock, null, null, Duration.ofSeconds(5));
              if (view.statusCode() == 200 && life == before) {
                ledger.view(viewSeen(Api.json(view), before));
              }
            } catch (UncheckedIOException e) {
              // Killed under the read, or not started yet: the other server answers.
            }
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
