package dev.lockstep.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.HolderView;
import dev.lockstep.api.LockView;
import dev.lockstep.cli.support.Cli;
import dev.lockstep.cli.support.Cli.Finished;
import dev.lockstep.cli.support.Cli.Running;
import dev.lockstep.cli.support.LockServerExtension;
import dev.lockstep.client.LockClient;
import dev.lockstep.client.LockClientConfig;
import dev.lockstep.client.LockHandle;
import dev.lockstep.client.ServerLauncher.LockServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep lock}, run as a child process against a real server. */
@ExtendWith(LockServerExtension.class)
class LockCommandIT {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private Cli cli;
  private LockClient locks;

  @BeforeEach
  void setUp(LockServer server) {
    cli = new Cli(server.url(), dir);
    locks =
        LockClient.create(
            LockClientConfig.connect(server.url())
                .withCache(false)
                .withSessionName("test-holder")
                .withOwner(() -> "test-owner"));
  }

  @AfterEach
  void tearDown() {
    locks.close();
  }

  @Test
  void lock_twoRunsOnOneName_serialize_andTheSecondGetsTheLargerToken() {
    Running first = cli.start("lock", "serial/a", "--", "sh", "-c", logThenWaitFor("first", "go"));
    awaitFile("first.log");
    Running second = cli.start("lock", "serial/a", "--", "sh", "-c", logThenWaitFor("second", ""));
    // The second is in the server's queue while the first's CMD runs, and its CMD has not begun.
    await().atMost(PATIENCE).until(() -> locks.status("serial/a").waiters().size() == 1);
    assertFalse(Files.exists(dir.resolve("second.log")));

    touch("go");
    assertEquals(0, first.await().exit(), first.errSoFar());
    assertEquals(0, second.await().exit(), second.errSoFar());

    Map<String, Long> a = log("first.log");
    Map<String, Long> b = log("second.log");
    assertTrue(a.get("end") <= b.get("start"), "second began before first ended: " + a + " " + b);
    assertTrue(b.get("token") > a.get("token"), "tokens " + a + " " + b);
  }

  @Test
  void lock_putsTheServersGrantInCmdsEnvironment_andPassesCmdsStatusThrough() {
    Running run =
        cli.start(
            "lock",
            "env/a",
            "--owner",
            "env test",
            "--",
            "sh",
            "-c",
            "echo $LOCKSTEP_LOCK $LOCKSTEP_FENCING_TOKEN $LOCKSTEP_SESSION > env;"
                + " while [ ! -f go ]; do sleep 0.05; done; exit 3");
    String[] env = awaitFile("env").trim().split(" ");

    LockView view = locks.status("env/a");
    HolderView holder = view.holders().get(0);
    assertEquals("env/a", env[0]);
    assertEquals(holder.fencingToken(), Long.parseLong(env[1]));
    assertEquals(holder.session(), env[2]);
    assertEquals("env test", holder.owner());

    touch("go");
    Finished finished = run.await();
    assertEquals(3, finished.exit(), finished.err());
    assertTrue(locks.status("env/a").holders().isEmpty(), "released when CMD exited");

    Finished again =
        cli.run("lock", "env/a", "--", "sh", "-c", "echo $LOCKSTEP_FENCING_TOKEN > env2");
    assertEquals(0, again.exit(), again.err());
    assertTrue(Long.parseLong(read("env2").trim()) > Long.parseLong(env[1]), "the token grows");
  }

  @Test
  void lock_notGrantedWithinWait_exits75_andNamesTheHolders() {
    try (LockHandle held = locks.tryAcquire("busy/a", Duration.ZERO).orElseThrow()) {
      Finished finished = cli.run("lock", "busy/a", "--wait", "0s", "--", "touch", "ran");

      assertEquals(ExitStatus.NOT_GRANTED, finished.exit(), finished.err());
      assertTrue(finished.err().contains(held.sessionId()), finished.err());
      assertTrue(finished.err().contains("(test-holder)"), finished.err());
      assertTrue(finished.err().contains("owner test-owner"), finished.err());
      assertTrue(finished.err().contains("fencing token " + held.fencingToken()), finished.err());
      assertFalse(Files.exists(dir.resolve("ran")), "CMD must not run without the lock");
    }
  }

  @Test
  void lock_whenTheServerIsUnreachable_exits69_withoutRunningCmd() {
    URI closed = URI.create("http://localhost:" + LockServerExtension.freePort());
    Finished finished = cli.runAgainst(closed, "lock", "any/a", "--", "touch", "ran");

    assertEquals(ExitStatus.UNAVAILABLE, finished.exit(), finished.err());
    assertTrue(finished.err().contains("unreachable"), finished.err());
    assertFalse(Files.exists(dir.resolve("ran")));
    assertEquals(ExitStatus.UNAVAILABLE, cli.runAgainst(closed, "status").exit());
  }

  @Test
  void lock_badUsage_exits64() {
    Finished noCmd = cli.run("lock", "usage/a");
    assertEquals(ExitStatus.USAGE, noCmd.exit(), noCmd.err());
    assertTrue(noCmd.err().contains("CMD"), noCmd.err());

    Finished badName = cli.run("lock", "no//empty/segment", "--", "true");
    assertEquals(ExitStatus.USAGE, badName.exit(), badName.err());
  }

  @Test
  void lock_whenCmdCannotRun_exits127_andReleases() {
    Finished finished = cli.run("lock", "missing/a", "--", "./no-such-command");

    assertEquals(ExitStatus.CANNOT_RUN, finished.exit(), finished.err());
    assertTrue(locks.status("missing/a").holders().isEmpty());
  }

  /**
   * The session is lost the way sessions are lost in production: the holder stops (here SIGSTOP, as
   * a long GC pause or a swapped-out VM would) past its TTL, and the server expires it. The CLI
   * keeps its session token to itself, so the test does not delete the session; it stops the CLI
   * until the server has ended the session, then lets it run on.
   */
  @Test
  void lock_whenTheSessionIsLostWhileCmdRuns_terminatesCmd_andExits70() throws Exception {
    Running run =
        cli.start(
            "lock",
            "lost/a",
            "--ttl",
            "1s",
            "--kill-after",
            "5s",
            "--",
            "sh",
            "-c",
            "trap 'echo terminated > term; exit 143' TERM;"
                + " echo $LOCKSTEP_SESSION > session; while true; do sleep 0.05; done");
    String session = awaitFile("session").trim();

    signal("STOP", run.process().pid());
    try (ServerReads reads = new ServerReads(cli.url())) {
      await().atMost(PATIENCE).until(() -> reads.session(session).isEmpty());
    } finally {
      signal("CONT", run.process().pid());
    }

    Finished finished = run.await();
    assertEquals(ExitStatus.LOST, finished.exit(), finished.err());
    assertTrue(finished.err().contains("was lost"), finished.err());
    assertEquals("terminated", read("term").trim(), "CMD got SIGTERM");
    assertTrue(locks.status("lost/a").holders().isEmpty());
  }

  @Test
  void lock_whenLockstepGetsSigterm_passesItToCmd_andReleasesAtOnce() throws Exception {
    // A TTL far longer than the test's patience: the lock must be released, not left to expire.
    Running run =
        cli.start(
            "lock",
            "signal/a",
            "--ttl",
            "5m",
            "--",
            "sh",
            "-c",
            "trap 'echo terminated > term; exit 143' TERM;"
                + " echo started > started; while true; do sleep 0.05; done");
    awaitFile("started");

    run.process().destroy(); // SIGTERM to lockstep's JVM

    assertTrue(run.process().waitFor(30, TimeUnit.SECONDS), "lockstep ended");
    assertEquals("terminated", read("term").trim(), "CMD got SIGTERM");
    assertTrue(locks.status("signal/a").holders().isEmpty(), "released, not left to its TTL");
  }

  private static String logThenWaitFor(String name, String goFile) {
    String wait = goFile.isEmpty() ? "" : " while [ ! -f " + goFile + " ]; do sleep 0.05; done;";
    return "echo start $(date +%s%N) > "
        + name
        + ".log; echo token $LOCKSTEP_FENCING_TOKEN >> "
        + name
        + ".log;"
        + wait
        + " echo end $(date +%s%N) >> "
        + name
        + ".log";
  }

  private Map<String, Long> log(String file) {
    return read(file)
        .lines()
        .map(line -> line.split(" "))
        .collect(Collectors.toMap(words -> words[0], words -> Long.parseLong(words[1])));
  }

  private String awaitFile(String name) {
    Path file = dir.resolve(name);
    await().atMost(PATIENCE).until(() -> Files.exists(file) && !read(name).isBlank());
    return read(name);
  }

  private String read(String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (IOException e) {
      throw new AssertionError("no file " + name, e);
    }
  }

  private void touch(String name) {
    try {
      Files.writeString(dir.resolve(name), "go");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + signal);
  }
}
