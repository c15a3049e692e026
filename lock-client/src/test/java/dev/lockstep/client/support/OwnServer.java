package dev.lockstep.client.support;

import dev.lockstep.client.LockClientConfig.ServerSettings;
import dev.lockstep.client.ServerLauncher;
import dev.lockstep.client.ServerLauncher.LockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A lock server of one test class's own, for what must not happen to the shared one (freezing it
 * with SIGSTOP). Its port is {@code lockstep.test.port} plus an offset the class chooses.
 */
public final class OwnServer {
  private OwnServer() {}

  /** The settings of a fresh server on the shared test port plus {@code offset}. */
  public static ServerSettings settings(String what, int offset) {
    int port = Integer.getInteger("lockstep.test.port") + offset;
    Path dataDir = Path.of(System.getProperty("lockstep.test.dir")).resolve("lockstep-" + what);
    deleteTree(dataDir);
    return new ServerSettings(
        Path.of(System.getProperty("lockstep.test.microJar")),
        Path.of(System.getProperty("lockstep.test.war")),
        port,
        dataDir,
        Duration.ofSeconds(1),
        Duration.ofHours(1));
  }

  public static LockServer start(String what, int offset) {
    return ServerLauncher.start(settings(what, offset));
  }

  /** Sends {@code signal} (STOP, CONT) to the server's process and waits for {@code kill}. */
  public static void signal(LockServer server, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(server.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + server.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not clear " + dir, e);
    }
  }
}
