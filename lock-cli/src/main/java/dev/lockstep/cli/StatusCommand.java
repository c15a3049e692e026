package dev.lockstep.cli;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lockstep status [PREFIX] [--json]}: the held and queued locks. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show the held and queued locks under PREFIX: each holder with its session (id and name),"
          + " owner and fencing token, then the waiters in queue order."
    })
final class StatusCommand implements Callable<Integer> {
  private static final Jsonb JSONB = JsonbBuilder.create();

  @ParentCommand private Lockstep lockstep;
  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PREFIX",
      description = "Only locks whose name starts with PREFIX (default: every lock).")
  String prefix = "";

  @Option(names = "--json", description = "One JSON document instead of the table.")
  boolean json;

  @Override
  public Integer call() {
    StatusReport report;
    try (ServerReads reads = new ServerReads(lockstep.url())) {
      report =
          StatusReport.of(
              reads.locks(prefix), id -> reads.session(id).map(session -> session.name()));
    }
    if (json) {
      spec.commandLine().getOut().println(JSONB.toJson(report));
    } else {
      spec.commandLine().getOut().print(StatusTable.render(report));
    }
    spec.commandLine().getOut().flush();
    return ExitStatus.OK;
  }
}
