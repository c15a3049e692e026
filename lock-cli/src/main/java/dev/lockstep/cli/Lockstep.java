package dev.lockstep.cli;

import dev.lockstep.client.LockstepException;
import dev.lockstep.client.ServerException;
import dev.lockstep.client.SessionUnavailableException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar lockstep.jar [--url URL] COMMAND ...}: the command line of the lock service.
 * Each command is a class of its own; this one holds the server's URL and turns failures into the
 * exit statuses of {@link ExitStatus}.
 */
@Command(
    name = "lockstep",
    mixinStandardHelpOptions = true,
    version = "lockstep 0.1.0",
    description = "Run a command under a lock, show or watch locks, check a fencing token.",
    subcommands = {LockCommand.class, StatusCommand.class, WatchCommand.class, CheckCommand.class},
    exitCodeListHeading = "%nExit statuses:%n",
    exitCodeList = {
      "0:done (lock: CMD's own status passes through)",
      "1:check: the token is not the lock's current grant",
      "64:bad usage",
      "69:the lock server could not be reached",
      "70:the session or the lock was lost while CMD ran",
      "75:the lock was not granted within --wait",
      "127:CMD could not be started"
    })
public final class Lockstep implements Callable<Integer> {
  static final String URL_VARIABLE = "LOCKSTEP_URL";
  static final URI DEFAULT_URL = URI.create("http://localhost:8080");

  private final Map<String, String> environment;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "The lock server (default: $LOCKSTEP_URL, else http://localhost:8080).")
  private URI url;

  @Spec private CommandSpec spec;

  Lockstep(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /**
   * Held here so that it is not collected with its level: Jersey warns at every start about
   * optional providers (jakarta.activation) that a command line never needs.
   */
  private static final Logger JERSEY_LOG = Logger.getLogger("org.glassfish.jersey");

  public static void main(String[] args) {
    JERSEY_LOG.setLevel(Level.SEVERE);
    System.exit(execute(System.getenv(), args));
  }

  /** Runs one command line and answers its exit status, writing to the process's streams. */
  static int execute(Map<String, String> environment, String... args) {
    return commandLine(environment).execute(args);
  }

  /** The parser with {@code lockstep}'s exit statuses: 64 for any usage error. */
  static CommandLine commandLine(Map<String, String> environment) {
    CommandLine line = new CommandLine(new Lockstep(environment));
    line.setParameterExceptionHandler(
        (e, args) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println("lockstep: " + e.getMessage());
          err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return ExitStatus.USAGE;
        });
    line.setExecutionExceptionHandler((e, cmd, parsed) -> failed(e, cmd.getErr()));
    return line;
  }

  /** The server this run talks to: {@code --url}, else {@code $LOCKSTEP_URL}, else localhost. */
  URI url() {
    if (url != null) {
      return url;
    }
    String fromEnvironment = environment.get(URL_VARIABLE);
    return fromEnvironment == null || fromEnvironment.isBlank()
        ? DEFAULT_URL
        : URI.create(fromEnvironment.trim());
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "a command is required");
  }

  private static int failed(Exception e, PrintWriter err) {
    if (e instanceof ServerException server) {
      err.println("lockstep: " + server.getMessage());
      return ExitStatus.of(server);
    }
    if (e instanceof SessionUnavailableException) {
      err.println("lockstep: " + e.getMessage());
      return ExitStatus.UNAVAILABLE;
    }
    if (e instanceof IllegalArgumentException) {
      err.println("lockstep: " + e.getMessage()); // a lock name the client refused before sending
      return ExitStatus.USAGE;
    }
    if (e instanceof LockstepException) {
      err.println("lockstep: " + e.getMessage());
      return ExitStatus.LOST;
    }
    err.println("lockstep: unexpected failure: " + e);
    e.printStackTrace(err);
    return ExitStatus.LOST;
  }
}
