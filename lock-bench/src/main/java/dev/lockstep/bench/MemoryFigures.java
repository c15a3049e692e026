package dev.lockstep.bench;

import dev.lockstep.bench.ResultTable.Row;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lockstep's memory figures: the server's heap after a full GC ({@code jcmd GC.run}, then {@code
 * GC.heap_info}) before and after {@code sessions} sessions each acquire 10 locks over raw HTTP.
 */
final class MemoryFigures {
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
  private static final int LOCKS_PER_SESSION = 10;
  private static final int GOAL_SESSIONS = 100_000;

  private MemoryFigures() {}

  /**
   * Fills the server at {@code pid} through {@code http} and adds the memory rows to {@code rows};
   * returns a note for the table when fewer sessions than the goal's 100 000 were filled, so that
   * the heap figure is a projection.
   */
  static Optional<String> measure(HttpBench http, long pid, int sessions, ResultTable rows)
      throws Exception {
    int locks = sessions * LOCKS_PER_SESSION;
    System.out.printf(
        "- memory (lockstep only): %d sessions holding %d locks each, raw HTTP%n",
        sessions, LOCKS_PER_SESSION);
    double before = heapUsedAfterFullGcMiB(pid);
    double seconds = http.fill(sessions, LOCKS_PER_SESSION, 16);
    double after = heapUsedAfterFullGcMiB(pid);
    String label =
        String.format(
            Locale.ROOT, "server heap after full GC, %d sessions + %d locks", sessions, locks);
    rows.add(row("memory", label, "MiB", false, after));
    rows.add(
        row("memory-baseline", "server heap after full GC, before filling", "MiB", false, before));
    rows.add(row("memory-sessions", "sessions held while measuring", "sessions", true, sessions));
    rows.add(row("memory-locks", "locks held while measuring", "locks", true, locks));
    rows.add(
        row(
            "memory-per-lock",
            "heap per held lock (incl. its share of a session)",
            "bytes",
            false,
            (after - before) * 1024 * 1024 / locks));
    rows.add(
        row(
            "memory-fill-rate",
            "filling: sessions + grants over raw HTTP, 16 threads",
            "requests/s",
            true,
            sessions * (LOCKS_PER_SESSION + 1) / seconds));
    if (sessions == GOAL_SESSIONS) {
      return Optional.empty();
    }
    double projected = before + (after - before) * GOAL_SESSIONS / sessions;
    rows.add(
        row(
            "memory-projected",
            "server heap projected for 100k sessions + 1M locks",
            "MiB",
            false,
            projected));
    return Optional.of(
        String.format(
            Locale.ROOT,
            "memory: this run filled %d sessions / %d locks, not 100k / 1M (filling over HTTP runs"
                + " at the server's request rate); the projection scales the growth linearly",
            sessions,
            locks));
  }

  private static Row row(
      String workload, String label, String unit, boolean higherIsBetter, double value) {
    return new Row(workload, label, unit, higherIsBetter, Map.of("lockstep", value));
  }

  /** Runs a full GC in the server ({@code jcmd GC.run}), then reads the heap used. */
  private static double heapUsedAfterFullGcMiB(long pid) throws Exception {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("no heap figure in jcmd GC.heap_info: " + info);
    }
    return Long.parseLong(m.group(1)) / 1024.0;
  }

  private static String jcmd(long pid, String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }
}
