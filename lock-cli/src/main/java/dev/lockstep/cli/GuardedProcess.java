package dev.lockstep.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * CMD, run while its lock is held: stdio inherited, the grant in its environment. When the lock is
 * lost, or lockstep itself is told to stop, CMD gets SIGTERM ({@link Process#destroy}) and, if it
 * is still running after the kill-after delay, SIGKILL with every process it started.
 *
 * <p>Start and stop are one monitor's: a stop that arrives while the lock is still being acquired
 * means CMD never starts, so no CMD runs once lockstep has been told to stop.
 */
final class GuardedProcess {
  /** Why CMD was stopped. */
  enum Stop {
    LOCK_LOST,
    SIGNALLED
  }

  private final List<String> command;
  private final Duration killAfter;
  private Process process;
  private Stop stopped;

  GuardedProcess(List<String> command, Duration killAfter) {
    this.command = List.copyOf(command);
    this.killAfter = killAfter;
  }

  /**
   * Starts CMD with {@code environment} added to lockstep's own; empty when a stop came first.
   * Throws {@link IOException} when CMD cannot be run (not found, not executable).
   */
  synchronized Optional<Process> start(Map<String, String> environment) throws IOException {
    if (stopped != null) {
      return Optional.empty();
    }
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().putAll(environment);
    process = builder.start();
    return Optional.of(process);
  }

  /**
   * Sends CMD SIGTERM, and SIGKILL after the kill-after delay, on a thread of its own: this is
   * called from the keep-alive thread and from the shutdown hook, and neither may block on CMD.
   * Only the first stop counts. Answers whether CMD was running.
   */
  synchronized boolean stop(Stop why) {
    if (stopped != null) {
      return process != null && process.isAlive();
    }
    stopped = why;
    if (process == null || !process.isAlive()) {
      return false;
    }
    Process running = process;
    running.destroy();
    Thread killer =
        new Thread(
            () -> {
              try {
                if (!running.waitFor(killAfter.toMillis(), TimeUnit.MILLISECONDS)) {
                  // Its children first: once CMD is gone they are reparented and out of reach.
                  running.descendants().forEach(ProcessHandle::destroyForcibly);
                  running.destroyForcibly();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "lockstep-kill-after");
    killer.setDaemon(true);
    killer.start();
    return true;
  }

  /** Why CMD was stopped, if it was. */
  synchronized Optional<Stop> stopped() {
    return Optional.ofNullable(stopped);
  }
}
