package dev.lockstep.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.client.LockClientConfig.ServerSettings;
import dev.lockstep.client.support.LaunchAndExit;
import dev.lockstep.client.support.OwnServer;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.Response;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Launch mode leaks no server: not on an occupied port, not when the JVM exits without close. */
class LaunchModeTest {

  @Test
  void start_onAnOccupiedPort_isRefusedBeforeLaunching(@TempDir Path dir) throws Exception {
    try (ServerSocket occupant = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ServerSettings settings =
          new ServerSettings(
                  dir.resolve("payara-micro.jar"),
                  dir.resolve("ROOT.war"),
                  occupant.getLocalPort(),
                  dir.resolve("data"),
                  Duration.ofSeconds(1),
                  Duration.ofHours(1))
              .withLog(dir.resolve("logs").resolve("server.log"));

      LockstepException refused =
          assertThrows(LockstepException.class, () -> ServerLauncher.start(settings));

      assertTrue(refused.getMessage().contains("taken"), refused.getMessage());
      assertFalse(Files.exists(settings.logFile()), "nothing was launched");
    }
  }

  @Test
  void childJvmExitingWithoutClose_leavesNoServerRunning() throws Exception {
    ServerSettings settings = OwnServer.settings("launch-and-exit", 4);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    LaunchAndExit.class.getName(),
                    settings.microJar().toString(),
                    settings.war().toString(),
                    Integer.toString(settings.port()),
                    settings.dataDir().toString()))
            .redirectErrorStream(true)
            .start();
    Optional<ProcessHandle> server = Optional.empty();
    try {
      long pid = readPid(child);
      server = ProcessHandle.of(pid);
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child exits");
      assertEquals(0, child.exitValue());

      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    } finally {
      child.destroyForcibly();
      server.ifPresent(ProcessHandle::destroyForcibly); // never leak one, even on failure
    }
  }

  private static long readPid(Process child) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("PID ")) {
        return Long.parseLong(line.substring(4).trim());
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("the child printed no pid:\n" + seen);
  }

  @Test
  void createFailingAfterTheLaunch_stopsTheServer_launchedWithItsJvmOptionsAndLog(
      @TempDir Path dir) {
    Path log = dir.resolve("logs").resolve("launched.log");
    ServerSettings settings =
        OwnServer.settings("launch-then-fail", 5)
            .withJvmOptions("-Dlockstep.test.marker=launch-then-fail")
            .withLog(log);
    List<ProcessHandle> before = ProcessHandle.current().children().toList();
    List<Launched> launched = new CopyOnWriteArrayList<>();
    // The cache loads the locks at create, after the launch: refused here, so create() fails.
    ClientRequestFilter refuseTheCacheLoad =
        request -> {
          if (request.getUri().getPath().endsWith("/api/v1/locks")) {
            request.abortWith(Response.status(503).build());
          }
        };
    LockClientConfig config = LockClientConfig.launch(settings).withProviders(refuseTheCacheLoad);
    try {
      ServerException failed = assertThrows(ServerException.class, () -> create(config, launched));

      assertTrue(failed.getMessage().contains(":" + settings.port()), failed.getMessage());
      assertEquals(1, launched.size(), "one server was launched: " + launched);
      String command = launched.get(0).command();
      assertTrue(command.contains("-Dlockstep.test.marker=launch-then-fail"), command);
      assertTrue(Files.exists(log), "the server's output went to the log of the settings");
      await().atMost(Duration.ofSeconds(90)).until(() -> !launched.get(0).process().isAlive());
    } finally {
      ProcessHandle.current()
          .children()
          .filter(p -> !before.contains(p))
          .forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** A process the test JVM started, and its command line, read while it ran. */
  private record Launched(ProcessHandle process, String command) {}

  /** create(), noting the server process it launched (polled every 50 ms) while it starts. */
  private static LockClient create(LockClientConfig config, List<Launched> launched) {
    List<ProcessHandle> before = ProcessHandle.current().children().toList();
    ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor();
    poll.scheduleWithFixedDelay(
        () ->
            ProcessHandle.current()
                .children()
                .filter(p -> !before.contains(p))
                .filter(p -> launched.stream().noneMatch(l -> l.process().equals(p)))
                // A child seen between fork and exec is still the JDK's jspawnhelper, whose
                // arguments are the JDK version and pipe numbers: note it once it is the server.
                .filter(
                    p -> p.info().command().filter(c -> !c.endsWith("jspawnhelper")).isPresent())
                .forEach(
                    p ->
                        launched.add(
                            new Launched(
                                p, String.join(" ", p.info().arguments().orElse(new String[0]))))),
        0,
        50,
        TimeUnit.MILLISECONDS);
    try {
      return LockClient.create(config);
    } finally {
      poll.shutdownNow();
    }
  }
}
