package dev.lockstep.it.support;

import static org.awaitility.Awaitility.await;

import dev.lockstep.client.ServerLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The lock server in a JVM of its own, for tests that stop it under the clients' feet: Payara Micro
 * with the WAR on a fixed port and a data directory that outlives the process. Its output goes to a
 * log file, appended across restarts, so that a failed test can be read after the fact.
 *
 * <p>Not thread-safe; one test class drives one instance. {@link #close()} kills what is left and
 * is safe to call twice.
 */
public final class LockServerProcess implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(180);
  private static final Duration SHUTDOWN = Duration.ofSeconds(60);

  private final Path payaraMicroJar;
  private final Path war;
  private final Path dataDir;
  private final Path log;
  private final int port;
  private final List<String> systemProperties = new ArrayList<>();
  private Process process;
  private Api api;
  private Instant launchedAt;

  public LockServerProcess(Path payaraMicroJar, Path war, Path dataDir, Path log, int port) {
    this.payaraMicroJar = Objects.requireNonNull(payaraMicroJar, "payaraMicroJar");
    this.war = Objects.requireNonNull(war, "war");
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    this.log = Objects.requireNonNull(log, "log");
    this.port = port;
  }

  /**
   * The jar and WAR from the failsafe configuration ({@code payara.microJar}, {@code
   * lockstep.war}), a fresh data directory and a log under {@code it.workDir}.
   */
  public static LockServerProcess fromBuild(String name, int port) {
    Path workDir = Path.of(required("it.workDir"));
    String run = name + "-" + System.currentTimeMillis();
    return new LockServerProcess(
        Path.of(required("payara.microJar")),
        Path.of(required("lockstep.war")),
        workDir.resolve(run + "-data"),
        workDir.resolve(run + ".log"),
        port);
  }

  /** Adds {@code -Dkey=value} to the server's JVM, e.g. {@code lockstep.jdbc.url}. */
  public LockServerProcess withSystemProperty(String key, String value) {
    systemProperties.add("-D" + key + "=" + value);
    return this;
  }

  /**
   * Launches the server and blocks until {@code GET /health/ready} answers 200 (at most 180 s).
   * Throws if it is running already, if the JVM exits first, or if it is not ready in time.
   */
  public void start() {
    start("/health/ready");
  }

  /**
   * Launches a server that joins a group as a standby, and blocks until {@code GET /health/live}
   * answers 200: a standby is live but, until it is the active one, not ready.
   */
  public void startStandby() {
    start("/health/live");
  }

  /** The process's id, for signals such as SIGSTOP; empty when it is not running. */
  public OptionalLong pid() {
    return isRunning() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
  }

  private void start(String healthPath) {
    if (isRunning()) {
      throw new IllegalStateException("the lock server is running already, pid " + process.pid());
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dlockstep.data.dir=" + dataDir.toAbsolutePath()));
    command.addAll(ServerLauncher.SERVER_JVM_OPTIONS);
    command.addAll(systemProperties);
    command.addAll(
        List.of(
            "-jar",
            payaraMicroJar.toAbsolutePath().toString(),
            "--deploy",
            war.toAbsolutePath().toString(),
            "--port",
            Integer.toString(port),
            "--nocluster"));
    command.addAll(ServerLauncher.preBootOptions(war));
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Files.writeString(
          log,
          "=== " + Instant.now() + " " + String.join(" ", command) + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      launchedAt = Instant.now();
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot launch Payara Micro: " + command, e);
    }
    Api fresh = new Api(URI.create("http://localhost:" + port));
    // A fresh client per start: pooled connections to the last process are dead.
    api = fresh;
    Process launched = process;
    await("lock server " + healthPath + " on port " + port + " (log: " + log + ")")
        .atMost(STARTUP)
        .pollInterval(Duration.ofMillis(100))
        // Connection refused while it boots; anything else is a real failure.
        .ignoreExceptionsInstanceOf(UncheckedIOException.class)
        .until(
            () -> {
              if (!launched.isAlive()) {
                throw new IllegalStateException(
                    "Payara Micro exited with "
                        + launched.exitValue()
                        + " before it was ready; see "
                        + log);
              }
              return fresh.send("GET", healthPath, null, null, Duration.ofSeconds(2)).statusCode()
                  == 200;
            });
  }

  /** Stops it as an operator would (SIGTERM, shutdown hooks run) and waits for the exit. */
  public void stopGracefully() {
    requireRunning();
    process.destroy();
    awaitExit();
  }

  /** {@code kill -9}: on Linux {@link Process#destroyForcibly()} sends SIGKILL; nothing runs. */
  public void kill() {
    requireRunning();
    process.destroyForcibly();
    awaitExit();
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** A client of the process started last. */
  public Api api() {
    if (api == null) {
      throw new IllegalStateException("the lock server was never started");
    }
    return api;
  }

  /** When the last start launched the JVM: the earliest moment its lock table could load. */
  public Instant launchedAt() {
    return launchedAt;
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() {
    if (isRunning()) {
      process.destroyForcibly();
      try {
        process.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS);
        throw new IllegalStateException(
            "the lock server did not stop within " + SHUTDOWN + "; killed it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while stopping the lock server", e);
    }
  }

  private void requireRunning() {
    if (!isRunning()) {
      throw new IllegalStateException("the lock server is not running");
    }
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property "
              + property
              + " is not set; the failsafe configuration of arquillian-tests sets it");
    }
    return value;
  }
}
