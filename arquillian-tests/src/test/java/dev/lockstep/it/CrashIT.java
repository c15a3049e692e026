package dev.lockstep.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.crash.CrashRun;
import dev.lockstep.it.crash.CrashRun.Outcome;
import dev.lockstep.it.support.LockServerProcess;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Safety under crashes (issue 7): eight clients, each with its own session, contend for four
 * exclusive locks while the server is {@code kill -9}ed five times at random moments and started
 * again on the same data directory. The clients write their fencing tokens to a resource that
 * checks them ({@code crash.FencedResource}, whose Javadoc states the rule for a violation).
 *
 * <p>Asserted: no mutual-exclusion violation; no fencing token handed out twice and none, nor any
 * revision, going back over a restart; every session and grant answered before a kill is there
 * after the restart (a session may be gone only once its TTL and grace period have passed); and the
 * run really contended: hand-offs happened and each life granted locks.
 *
 * <p>Not an Arquillian test, for the same reason as {@link RestartIT}: it kills its own Payara
 * Micro, on it.port + 300. The random moments come from a seed that is printed, and can be replayed
 * with {@code -Dit.crash.seed=N} (the clients' timing still varies from run to run).
 *
 * <p>That the database keeps only hashes of session tokens is tested against the store itself
 * ({@code JpaLockStoreContract.database_neverHoldsTheSessionToken}, on H2 and PostgreSQL), which
 * reads every stored cell and every database file; it is not repeated here.
 */
class CrashIT {
  private static final int KILLS = 5;

  private final LockServerProcess server =
      LockServerProcess.fromBuild("crash-it", Integer.getInteger("it.port", 18080) + 300);

  @AfterEach
  void killServer() {
    server.close();
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void killNineFiveTimes_underContention_keepsMutualExclusionFencingAndEveryAnsweredGrant()
      throws Exception {
    long seed = Long.getLong("it.crash.seed", System.nanoTime());
    System.out.println("CRASH seed=" + seed + " (replay with -Dit.crash.seed=" + seed + ")");

    Outcome outcome = new CrashRun(server, seed, KILLS).run();

    System.out.println(
        "CRASH handoffs="
            + outcome.handoffs()
            + " restarts="
            + outcome.restarts()
            + " violations="
            + outcome.violations().size()
            + " tokens="
            + outcome.distinctTokens()
            + " grants="
            + outcome.grants()
            + " recovered="
            + outcome.recoveredGrants()
            + " kept="
            + outcome.keptGrantsChecked()
            + " views="
            + outcome.views()
            + " seed="
            + seed);
    assertAll(
        "crash run with seed " + seed + " (server log: " + server.log() + ")",
        () -> assertEquals(KILLS, outcome.restarts(), "restarts"),
        () -> assertEquals(List.of(), outcome.clientFailures(), "client failures"),
        () -> assertEquals(List.of(), outcome.violations(), "mutual-exclusion violations"),
        () ->
            assertEquals(
                List.of(),
                outcome.counterProblems(),
                "fencing tokens or revisions reused or gone back"),
        () ->
            assertEquals(
                List.of(),
                outcome.lostOverRestart(),
                "sessions or grants answered before a kill and missing after the restart"),
        () ->
            assertEquals(
                List.of(),
                outcome.illegitimateSessionLosses(),
                "sessions gone before their TTL and grace period had passed"),
        () ->
            assertTrue(
                outcome.handoffs() >= 20,
                "too little contention to judge: " + outcome.handoffs() + " hand-offs"),
        () ->
            assertEquals(
                List.of(),
                outcome.livesWithoutGrants(),
                "server lives in which no client was granted a lock"));
  }
}
