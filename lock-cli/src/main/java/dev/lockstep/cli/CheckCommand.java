package dev.lockstep.cli;

import dev.lockstep.client.LockClient;
import dev.lockstep.client.LockClientConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lockstep check NAME TOKEN}: whether a fencing token is still the lock's grant. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Exit 0 when TOKEN is the fencing token of a current grant of lock NAME, else 1:"
          + " a guarded resource can refuse a write that carries a stale token."
    })
final class CheckCommand implements Callable<Integer> {
  @ParentCommand private Lockstep lockstep;
  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The lock.")
  String name;

  @Parameters(index = "1", paramLabel = "TOKEN", description = "The fencing token to check.")
  long token;

  @Override
  public Integer call() {
    // No cache: one read of the lock's view, and no session is opened.
    try (LockClient client =
        LockClient.create(LockClientConfig.connect(lockstep.url()).withCache(false))) {
      boolean current =
          client.status(name).holders().stream().anyMatch(h -> h.fencingToken() == token);
      spec.commandLine()
          .getOut()
          .println(
              name
                  + ": fencing token "
                  + token
                  + (current ? " is the current grant" : " is not the current grant"));
      spec.commandLine().getOut().flush();
      return current ? ExitStatus.OK : ExitStatus.NOT_CURRENT;
    }
  }
}
