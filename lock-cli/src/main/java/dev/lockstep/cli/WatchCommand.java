package dev.lockstep.cli;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lockstep watch [PREFIX] [--since REVISION] [--json]}: one line per event. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Print one line per event of the locks under PREFIX until interrupted (Ctrl-C);"
          + " a dropped stream is resumed where it stopped, so no event is missed or repeated."
    })
final class WatchCommand implements Callable<Integer> {
  private static final Jsonb JSONB = JsonbBuilder.create();

  @ParentCommand private Lockstep lockstep;
  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PREFIX",
      description = "Only locks whose name starts with PREFIX (default: every lock).")
  String prefix = "";

  @Option(
      names = "--since",
      paramLabel = "REVISION",
      description = "Replay the events after REVISION first (default: only events from now on).")
  Long since;

  @Option(names = "--json", description = "One JSON document per line.")
  boolean json;

  @Override
  public Integer call() {
    if (since != null && since < 0) {
      throw new ParameterException(spec.commandLine(), "--since must not be negative: " + since);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ServerReads reads = new ServerReads(lockstep.url())) {
      // Reading the current revision first also tells an unreachable server (exit 69) from a
      // stream that dropped later, which is only ever resumed.
      long current = reads.locks(prefix).revision();
      long after = since != null ? since : current;
      new EventFeed(reads.events(), prefix, after, spec.commandLine().getErr())
          .run(
              event -> {
                out.println(json ? JSONB.toJson(event) : event.text());
                out.flush();
              });
    }
    return ExitStatus.OK;
  }
}
