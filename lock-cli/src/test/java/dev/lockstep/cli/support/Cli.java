package dev.lockstep.cli.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged {@code lockstep.jar} as a child process, the way a shell or cron does: its own
 * JVM, its own exit status, stdout and stderr in files of a test's directory.
 */
public final class Cli {
  private static final long TIMEOUT_SECONDS = 60;

  private final URI url;
  private final Path dir;
  private int runs;

  public Cli(URI url, Path dir) {
    this.url = url;
    this.dir = dir;
  }

  public URI url() {
    return url;
  }

  /** A finished run. */
  public record Finished(int exit, String out, String err) {}

  /** A run in progress. */
  public record Running(Process process, Path out, Path err) {
    public String outSoFar() {
      return read(out);
    }

    public String errSoFar() {
      return read(err);
    }

    public Finished await() {
      try {
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("lockstep did not end within " + TIMEOUT_SECONDS + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      return new Finished(process.exitValue(), read(out), read(err));
    }
  }

  /** {@code java -jar lockstep.jar --url URL args...}, to its end. */
  public Finished run(String... args) {
    return start(args).await();
  }

  /** The same with {@code url} in place of the test server's. */
  public Finished runAgainst(URI other, String... args) {
    return start(other, List.of(args)).await();
  }

  public Running start(String... args) {
    return start(url, List.of(args));
  }

  private synchronized Running start(URI server, List<String> args) {
    int run = ++runs;
    Path out = dir.resolve("run-" + run + ".out");
    Path err = dir.resolve("run-" + run + ".err");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A small, quick JVM: these runs are short and the machine is shared.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xshare:auto");
    command.add("-jar");
    command.add(LockServerExtension.property("lockstep.test.cliJar"));
    command.add("--url");
    command.add(server.toString());
    command.addAll(args);
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      return new Running(process, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
