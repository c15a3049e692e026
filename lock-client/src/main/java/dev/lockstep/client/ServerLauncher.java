package dev.lockstep.client;

import dev.lockstep.client.LockClientConfig.ServerSettings;
import jakarta.ws.rs.client.Client;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a lock server as a Payara Micro process with the lock server's WAR, and waits until it
 * answers {@code /health/ready} (the lock table is loaded). The process's output goes to the log
 * file of the settings ({@code server.log} in the data directory by default). A port something
 * already listens on is refused before launching (that other process would answer the readiness
 * probe in place of the new server); a shutdown hook stops the server if the JVM exits without
 * closing it; a server that fails to become ready is stopped.
 */
public final class ServerLauncher {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  /**
   * JVM options of every launch of the server: Grizzly lets a header value with a control character
   * or a byte outside ASCII through, and the server refuses it as a problem rather than Grizzly's
   * bare 400 (README, "Rules worth knowing").
   */
  public static final List<String> SERVER_JVM_OPTIONS =
      List.of("-Dorg.glassfish.grizzly.http.STRICT_HEADER_VALUE_VALIDATION_RFC_9110=false");

  /** The pre-boot command file that the build puts next to {@code ROOT.war}. */
  public static final String PREBOOT_COMMANDS = "lockstep-preboot.txt";

  private ServerLauncher() {}

  /**
   * The Payara Micro options that go with the WAR: {@code --prebootcommandfile} with {@link
   * #PREBOOT_COMMANDS} from beside it, when it is there.
   */
  public static List<String> preBootOptions(Path war) {
    Path commands = war.toAbsolutePath().resolveSibling(PREBOOT_COMMANDS);
    return Files.isRegularFile(commands)
        ? List.of("--prebootcommandfile", commands.toString())
        : List.of();
  }

  /** A running server: its URL, its process, and how to stop it. */
  public static final class LockServer implements AutoCloseable {
    private final Process process;
    private final URI url;
    private final Thread shutdownHook;

    private LockServer(Process process, URI url) {
      this.process = process;
      this.url = url;
      this.shutdownHook = new Thread(process::destroy, "lockstep-stop-launched-server");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public URI url() {
      return url;
    }

    /** The server's process id (for {@code kill}, or a monitor). */
    public long pid() {
      return process.pid();
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    /** Stops the server gracefully, waiting for it to end. Safe to call twice. */
    @Override
    public void close() {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException | IllegalArgumentException shuttingDownOrRemoved) {
        // the JVM is exiting (the hook stops the server), or close() ran already
      }
      process.destroy();
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  /**
   * Starts a server and blocks until it is ready.
   *
   * @throws LockstepException when the port is taken, the server exits, or it is not ready within 3
   *     minutes (it is stopped then); the message names the log
   */
  public static LockServer start(ServerSettings settings) {
    requireFree(settings.port());
    try {
      Files.createDirectories(settings.dataDir());
      Path logFile = settings.logFile();
      if (logFile.toAbsolutePath().getParent() != null) {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
      }
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(settings.jvmOptions());
      command.add("-Dlockstep.data.dir=" + settings.dataDir().toAbsolutePath());
      command.add("-Dlockstep.session.ttl.min=" + settings.minTtl());
      command.add("-Dlockstep.session.ttl.max=" + settings.maxTtl());
      command.addAll(SERVER_JVM_OPTIONS);
      command.add("-jar");
      command.add(settings.microJar().toAbsolutePath().toString());
      command.add("--deploy");
      command.add(settings.war().toAbsolutePath().toString());
      command.add("--port");
      command.add(Integer.toString(settings.port()));
      command.add("--nocluster");
      command.addAll(preBootOptions(settings.war()));
      File log = logFile.toFile();
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
              .start();
      LockServer server =
          new LockServer(process, URI.create("http://localhost:" + settings.port()));
      try {
        awaitReady(process, server.url(), log);
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new LockstepException("could not start the lock server: " + e.getMessage(), e);
    }
  }

  /**
   * Something already listening on the port would answer the readiness probe in place of the new
   * server, and the client would talk to it: refuse before launching.
   */
  private static void requireFree(int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      probe.setReuseAddress(true);
    } catch (IOException e) {
      throw new LockstepException(
          "port " + port + " is taken (another server listens on it); not launching a lock server",
          e);
    }
  }

  private static void awaitReady(Process process, URI url, File log) {
    Client client =
        Providers.clientBuilder()
            .connectTimeout(2, TimeUnit.SECONDS)
            .readTimeout(5, TimeUnit.SECONDS)
            .build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new LockstepException(
              "the lock server exited with " + process.exitValue() + "; see " + log);
        }
        try (var answer = client.target(url).path("health").path("ready").request().get()) {
          if (answer.getStatus() == 200) {
            return;
          }
        } catch (RuntimeException notYet) {
          // not listening yet
        }
        Thread.sleep(250);
      }
      throw new LockstepException(
          "the lock server was not ready within " + READY_TIMEOUT + "; see " + log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LockstepException("interrupted while starting the lock server", e);
    } finally {
      client.close();
    }
  }
}
