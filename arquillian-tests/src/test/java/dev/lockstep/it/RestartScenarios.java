package dev.lockstep.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.LockServerProcess;
import dev.lockstep.it.support.TestSession;
import jakarta.json.JsonObject;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a restart keeps (shared/API.md, "Restarts and limits"): sessions, grants and the counter
 * survive a {@code kill -9} and a graceful stop; waits end with their connections; every session
 * gets a grace period of one TTL from the start; a lock-delay in force stays in force.
 *
 * <p>Not an Arquillian test: it stops the server under its clients, so it runs its own Payara Micro
 * (on it.port + 200, with a data directory of its own) and restarts it on the same data. A start
 * takes 20 to 40 s, so each round restarts once: its {@code @BeforeAll} builds one fixture per test
 * (own sessions, own locks), stops the server, starts it again, and each test then checks its own
 * fixture. The rounds leave a running server behind, so their order does not matter either.
 *
 * <p>Each database's test class declares the rounds as {@code @Nested} classes of its own, so that
 * their reports are named for the database (inherited nested classes would share one name, and one
 * database's report would overwrite the other's).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RestartScenarios {
  /**
   * Longer than a restart under load takes (one was seen at 67 s on a busy 2-core machine), so the
   * delay is still in force when the server is back; above the default maximum of one minute, which
   * the server under test raises.
   */
  private static final Duration LOCK_DELAY = Duration.ofSeconds(150);

  /**
   * The TTL of the session that lapses while the server is down: far shorter than a restart, and
   * long enough that the first request after the server is ready still finds it in its grace period
   * on a loaded machine (2 s was not).
   */
  private static final Duration LAPSING_TTL = Duration.ofSeconds(5);

  private final LockServerProcess server =
      newServer().withSystemProperty("lockstep.session.lock-delay.max", "PT5M");
  private final ExecutorService clients = Executors.newCachedThreadPool();

  /** The server under test, with the database the subclass picks. */
  abstract LockServerProcess newServer();

  /** Called before the first start, for a database that needs emptying. */
  void prepareDatabase() throws Exception {}

  @BeforeAll
  void startServer() throws Exception {
    prepareDatabase();
    server.start();
  }

  @AfterAll
  void killServer() {
    try {
      clients.shutdownNow();
    } finally {
      server.close();
    }
  }

  /** A round that stops the server with {@code kill -9}. */
  abstract class KillNineRound extends RestartRound {
    private TestSession lapsing;
    private String lapsingLock;
    private long lapsingToken;
    private HttpResponse<String> lapsingRightAfterStart;
    private Instant readyAt;

    @Override
    void stop() {
      server.kill();
    }

    /**
     * Last before the kill: this session's short TTL must not run out while the server still runs.
     */
    @Override
    void lastBeforeStop(Api before) {
      lapsingLock = uniqueLock("lapsing");
      lapsing = before.openSession(LAPSING_TTL.toString());
      lapsingToken = token(lapsing.acquire(lapsingLock, "exclusive", "PT0S"));
    }

    /** First after the start: the grace period is one short TTL, later would be too late to see. */
    @Override
    void firstAfterStart(Api after) {
      readyAt = Instant.now();
      lapsingRightAfterStart = after.session(lapsing.id());
    }

    @Test
    void session_whoseTtlRanOutWhileDown_getsGracePeriodThenExpires() {
      assertEquals(
          200,
          lapsingRightAfterStart.statusCode(),
          "no grace period after the restart: " + lapsingRightAfterStart.body());
      Instant expiresAt = Instant.parse(Api.json(lapsingRightAfterStart).getString("expiresAt"));
      assertFalse(
          expiresAt.isBefore(server.launchedAt().plus(LAPSING_TTL)),
          "the grace runs from the start (launched "
              + server.launchedAt()
              + "), but it expires "
              + expiresAt);
      assertFalse(
          expiresAt.isAfter(readyAt.plus(LAPSING_TTL)),
          "the grace outlasts one TTL after the server was ready (" + readyAt + "): " + expiresAt);

      // Not kept alive: it expires about one TTL after the start, and its lock goes to a waiter.
      TestSession next = after.openSession("PT60S");
      HttpResponse<String> granted = next.acquire(lapsingLock, "exclusive", "PT10S");
      JsonObject grant = Api.json(granted);
      assertEquals(200, granted.statusCode(), granted.body());
      assertTrue(grant.getJsonNumber("fencingToken").longValue() > lapsingToken);
      assertFalse(
          Instant.parse(grant.getString("acquiredAt")).isBefore(expiresAt),
          "granted before the graced session expired at " + expiresAt + ": " + grant);
      assertEquals(404, after.session(lapsing.id()).statusCode());
    }
  }

  /** A round that stops the server gracefully. */
  abstract class GracefulStopRound extends RestartRound {
    @Override
    void stop() {
      server.stopGracefully();
    }
  }

  /** One restart and what it must keep; a subclass says how the server stops. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract class RestartRound {
    Api after;
    private TestSession holder;
    private String heldLock;
    private long heldToken;
    private TestSession reader1;
    private TestSession reader2;
    private String sharedLock;
    private long reader1Token;
    private TestSession releaser;
    private String releasedLock;
    private TestSession waiter;
    private String awaitedLock;
    private String waitEnding;
    private TestSession delayedClient;
    private String delayedLock;
    private long holderOfDelayedExpired;
    private long revisionBefore;

    abstract void stop();

    void lastBeforeStop(Api before) {}

    void firstAfterStart(Api after) {}

    @BeforeAll
    void prepareAndRestart() throws Exception {
      if (!server.isRunning()) {
        server.start(); // the other round failed half-way
      }
      Api before = server.api();
      heldLock = uniqueLock("held");
      holder = before.openSession("PT60S");
      heldToken = token(holder.acquire(heldLock, "exclusive", "PT0S"));

      sharedLock = uniqueLock("shared");
      reader1 = before.openSession("PT60S");
      reader2 = before.openSession("PT60S");
      reader1Token = token(reader1.acquire(sharedLock, "shared", "PT0S"));
      token(reader2.acquire(sharedLock, "shared", "PT0S"));

      releasedLock = uniqueLock("released");
      releaser = before.openSession("PT60S");
      token(releaser.acquire(releasedLock, "exclusive", "PT0S"));

      awaitedLock = uniqueLock("awaited");
      TestSession awaitedHolder = before.openSession("PT60S");
      token(awaitedHolder.acquire(awaitedLock, "exclusive", "PT0S"));
      waiter = before.openSession("PT60S");
      CompletableFuture<HttpResponse<String>> waiting =
          CompletableFuture.supplyAsync(
              () -> waiter.acquire(awaitedLock, "exclusive", "PT60S"), clients);
      await()
          .atMost(5, SECONDS)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> before.waiters(awaitedLock).equals(List.of(waiter.id())));

      // Late, so that as much of the delay as possible is left after the restart.
      delayedLock = uniqueLock("delayed");
      delayedClient = before.openSession("PT60S");
      TestSession delayedHolder = before.openSession("PT1S", "PT" + LOCK_DELAY.toSeconds() + "S");
      token(delayedHolder.acquire(delayedLock, "exclusive", "PT0S"));
      await()
          .atMost(3, SECONDS)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> before.session(delayedHolder.id()).statusCode() == 404);
      holderOfDelayedExpired = System.nanoTime();
      HttpResponse<String> refused = delayedClient.acquire(delayedLock, "exclusive", "PT0S");
      assertEquals(409, refused.statusCode(), "no lock-delay even before the restart");

      lastBeforeStop(before);
      revisionBefore = before.lock(heldLock).getJsonNumber("revision").longValue();
      stop();
      waitEnding = howItEnded(waiting);
      server.start();
      after = server.api();
      firstAfterStart(after);
    }

    @Test
    void session_isKeptWithItsLocks() {
      HttpResponse<String> view = after.session(holder.id());
      assertEquals(200, view.statusCode(), view.body());
      assertEquals(List.of(heldLock), holder.on(after).locks());
    }

    @Test
    void grant_isKeptWithItsFencingToken() {
      JsonObject lock = after.lock(heldLock);
      assertEquals("held", lock.getString("state"));
      assertEquals("exclusive", lock.getString("mode"));
      assertEquals(1, lock.getJsonArray("holders").size());
      JsonObject only = lock.getJsonArray("holders").getJsonObject(0);
      assertEquals(holder.id(), only.getString("session"));
      assertEquals(heldToken, only.getJsonNumber("fencingToken").longValue());
      assertTrue(
          Api.json(after.get("/api/v1/locks/" + heldLock + "/fencing/" + heldToken))
              .getBoolean("valid"));
    }

    @Test
    void sharedGrant_keepsBothHoldersInGrantOrder() {
      JsonObject lock = after.lock(sharedLock);
      assertEquals("shared", lock.getString("mode"));
      assertEquals(List.of(reader1.id(), reader2.id()), after.holders(sharedLock));
      assertEquals(
          reader1Token,
          lock.getJsonArray("holders").getJsonObject(0).getJsonNumber("fencingToken").longValue());
    }

    @Test
    void keepAlive_withTokenFromBeforeTheRestart_isAccepted() {
      HttpResponse<String> kept = holder.on(after).keepAlive();
      assertEquals(200, kept.statusCode(), kept.body());
    }

    @Test
    void release_withTokenFromBeforeTheRestart_freesTheLock() {
      HttpResponse<String> released = releaser.on(after).release(releasedLock);
      assertEquals(204, released.statusCode(), released.body());
      assertEquals("free", after.lock(releasedLock).getString("state"));
      assertEquals(List.of(), releaser.on(after).locks());
    }

    @Test
    void grant_afterTheRestart_hasTokenAboveEveryOneBefore() {
      JsonObject someLock = after.lock(uniqueLock("unused"));
      assertTrue(
          someLock.getJsonNumber("revision").longValue() >= revisionBefore,
          "the revision went back from " + revisionBefore + ": " + someLock);
      TestSession fresh = after.openSession("PT60S");
      long token = token(fresh.acquire(uniqueLock("fresh"), "exclusive", "PT0S"));
      assertTrue(
          token > revisionBefore,
          "fencing token "
              + token
              + " after the restart, but the counter was at "
              + revisionBefore
              + " before it");
      fresh.closeQuietly();
    }

    @Test
    void wait_inProgressAtTheStop_endsWithItsConnection() {
      assertNotEquals("granted", waitEnding);
      assertEquals(List.of(), after.waiters(awaitedLock), "waits are not restored");
      assertEquals(List.of(), waiter.on(after).locks());
    }

    @Test
    void lockDelay_inForceAtTheStop_staysInForce() {
      Duration sinceExpiry = Duration.ofNanos(System.nanoTime() - holderOfDelayedExpired);
      assumeTrue(
          sinceExpiry.compareTo(LOCK_DELAY.minusSeconds(5)) < 0,
          "the restart took " + sinceExpiry + ": too long to see the lock-delay in force");
      HttpResponse<String> answer =
          delayedClient.on(after).acquire(delayedLock, "exclusive", "PT0S");
      assertEquals(
          409,
          answer.statusCode(),
          "granted "
              + sinceExpiry
              + " after its holder expired, within the holder's lock-delay of "
              + LOCK_DELAY
              + ": "
              + answer.body());
    }
  }

  /** A stop ends a wait with its connection: an I/O error, or any answer but a grant. */
  private static String howItEnded(CompletableFuture<HttpResponse<String>> waiting)
      throws InterruptedException {
    try {
      HttpResponse<String> answer = waiting.get(30, SECONDS);
      return answer.statusCode() == 200 ? "granted" : "answered " + answer.statusCode();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException) {
        return "connection lost";
      }
      throw new AssertionError("the wait failed unexpectedly", e);
    } catch (TimeoutException e) {
      throw new AssertionError("the wait outlived the server it waited on", e);
    }
  }

  private static long token(HttpResponse<String> grant) {
    assertEquals(200, grant.statusCode(), grant.body());
    return Api.json(grant).getJsonNumber("fencingToken").longValue();
  }

  private static String uniqueLock(String what) {
    return "it/restart/" + UUID.randomUUID() + "/" + what;
  }
}
