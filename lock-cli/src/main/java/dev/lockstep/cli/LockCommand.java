package dev.lockstep.cli;

import dev.lockstep.api.LockMode;
import dev.lockstep.client.LockClient;
import dev.lockstep.client.LockClientConfig;
import dev.lockstep.client.LockHandle;
import dev.lockstep.client.LockLostException;
import dev.lockstep.client.ServerException;
import dev.lockstep.client.SessionState;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep lock NAME [options] -- CMD [ARGS...]}: {@code flock} for a lock service. Acquires
 * the lock, runs CMD while the session is kept alive, releases when CMD exits, and exits with CMD's
 * status.
 *
 * <p>Only a session's end can take the lock away from under CMD: a lock is released by its own
 * session (whose token never leaves this process) or when that session ends. So watching the
 * session's state is watching the lock.
 */
@Command(
    name = "lock",
    mixinStandardHelpOptions = true,
    description = {
      "Acquire lock NAME, run CMD with LOCKSTEP_LOCK, LOCKSTEP_FENCING_TOKEN and LOCKSTEP_SESSION"
          + " in its environment, release the lock when CMD exits, and exit with CMD's status.",
      "If the session or the lock is lost while CMD runs, CMD gets SIGTERM (SIGKILL after"
          + " --kill-after) and lockstep exits 70. SIGINT or SIGTERM to lockstep is passed on to"
          + " CMD, and the lock released once CMD has ended."
    })
final class LockCommand implements Callable<Integer> {
  static final String LOCK_VARIABLE = "LOCKSTEP_LOCK";
  static final String TOKEN_VARIABLE = "LOCKSTEP_FENCING_TOKEN";
  static final String SESSION_VARIABLE = "LOCKSTEP_SESSION";

  /** How long the shutdown hook waits for CMD and the release beyond the kill-after delay. */
  private static final Duration RELEASE_GRACE = Duration.ofSeconds(10);

  /** The server's default maximum {@code wait} for one request. */
  private static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

  @ParentCommand private Lockstep lockstep;
  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The lock, e.g. jobs/nightly.")
  String name;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "CMD",
      description = "The command to run under the lock, after '--'.")
  List<String> command;

  @Option(names = "--shared", description = "Acquire in shared mode (default: exclusive).")
  boolean shared;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "Give up after DURATION, exit 75 (default: wait without limit; 0s: try once).")
  Duration wait;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      converter = Durations.class,
      defaultValue = "10s",
      description =
          "The session's TTL: how long the lock outlives a lockstep that stopped"
              + " keeping it alive (default: ${DEFAULT-VALUE}).")
  Duration ttl;

  @Option(
      names = "--owner",
      paramLabel = "TEXT",
      description = "Who holds the lock, shown to others (default: host:pid:thread).")
  String owner;

  @Option(
      names = "--kill-after",
      paramLabel = "DURATION",
      converter = Durations.class,
      defaultValue = "10s",
      description = "After SIGTERM, how long CMD has before SIGKILL (default: ${DEFAULT-VALUE}).")
  Duration killAfter;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    LockClientConfig config =
        LockClientConfig.connect(lockstep.url())
            .withCache(false)
            .withSessionTtl(ttl)
            .withSessionName("lockstep lock " + name);
    if (owner != null) {
      String text = owner;
      config = config.withOwner(() -> text);
    }
    GuardedProcess cmd = new GuardedProcess(command, killAfter);
    CountDownLatch finished = new CountDownLatch(1);
    try (LockClient client = LockClient.create(config)) {
      Thread hook = new Thread(() -> onSignal(cmd, client, finished), "lockstep-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        client.onSessionStateChange(
            (id, from, to) -> {
              if (to == SessionState.LOST) {
                cmd.stop(GuardedProcess.Stop.LOCK_LOST);
              }
            });
        return acquireAndRun(client, cmd, err);
      } finally {
        finished.countDown();
        removeHook(hook);
      }
    }
  }

  private int acquireAndRun(LockClient client, GuardedProcess cmd, PrintWriter err) {
    LockMode mode = shared ? LockMode.SHARED : LockMode.EXCLUSIVE;
    Optional<LockHandle> granted =
        wait == null ? Optional.of(client.acquire(name, mode)) : tryAcquire(client, mode);
    if (granted.isEmpty()) {
      try (ServerReads reads = new ServerReads(lockstep.url())) {
        err.println(NotGranted.describe(name, wait, client.status(name), reads));
      }
      return ExitStatus.NOT_GRANTED;
    }
    LockHandle handle = granted.get();
    int status = run(cmd, handle, err);
    if (cmd.stopped().orElse(null) == GuardedProcess.Stop.LOCK_LOST) {
      err.println(
          "lockstep: lock "
              + name
              + " was lost while CMD ran (session "
              + handle.sessionId()
              + " ended); CMD was stopped");
      return ExitStatus.LOST;
    }
    try {
      handle.release();
    } catch (LockLostException e) {
      // CMD ended, but the lock may have gone before it did: it ran partly unprotected.
      err.println("lockstep: " + e.getMessage());
      return ExitStatus.LOST;
    } catch (ServerException e) {
      err.println(
          "lockstep: could not release "
              + name
              + " ("
              + e.getMessage()
              + "); the server releases it when session "
              + handle.sessionId()
              + " expires");
    }
    return status;
  }

  /**
   * Waits up to {@code --wait} in requests of at most the server's longest wait (5 minutes by
   * default, as {@code LockClient.acquire} asks): a longer one is refused with 400. Each new
   * request queues at the back again, as {@code LockClient.acquire}'s do.
   */
  private Optional<LockHandle> tryAcquire(LockClient client, LockMode mode) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      boolean last = left.compareTo(LONGEST_WAIT) <= 0;
      Optional<LockHandle> granted = client.tryAcquire(name, mode, last ? left : LONGEST_WAIT);
      if (granted.isPresent() || last) {
        return granted;
      }
    }
  }

  private int run(GuardedProcess cmd, LockHandle handle, PrintWriter err) {
    Map<String, String> environment =
        Map.of(
            LOCK_VARIABLE, handle.name(),
            TOKEN_VARIABLE, Long.toString(handle.fencingToken()),
            SESSION_VARIABLE, handle.sessionId());
    try {
      Optional<Process> started = cmd.start(environment);
      if (started.isEmpty()) {
        return ExitStatus.LOST; // lockstep was told to stop before CMD could start
      }
      return started.get().waitFor();
    } catch (IOException e) {
      err.println("lockstep: cannot run " + command.get(0) + ": " + e.getMessage());
      return ExitStatus.CANNOT_RUN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cmd.stop(GuardedProcess.Stop.SIGNALLED);
      return ExitStatus.LOST;
    }
  }

  /**
   * The shutdown hook: SIGINT or SIGTERM to lockstep. CMD is stopped (a Ctrl-C in a terminal has
   * reached it already, as the whole process group gets it); the main thread then sees CMD end and
   * releases the lock, which this hook waits for, since the JVM ends when its hooks do. Before CMD
   * started, closing the client deletes the session, which drops its place in the queue.
   */
  private void onSignal(GuardedProcess cmd, LockClient client, CountDownLatch finished) {
    if (finished.getCount() == 0) {
      return; // an ordinary exit, after the lock was released
    }
    if (!cmd.stop(GuardedProcess.Stop.SIGNALLED)) {
      client.close(); // still acquiring (or CMD already ended): deleting the session is the release
      return;
    }
    try {
      if (!finished.await(killAfter.plus(RELEASE_GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
        client.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it is what let this thread finish
    }
  }
}
