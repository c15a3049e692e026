package dev.lockstep.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bench's figures as rows, and how they are printed: the table, RESULT, RATIO and GOAL lines.
 */
final class ResultTable {
  /** One row of the table; {@code higherIsBetter} is false for latencies. */
  record Row(
      String workload,
      String label,
      String unit,
      boolean higherIsBetter,
      Map<String, Double> values) {}

  private final List<String> systems;
  private final List<Row> rows = new ArrayList<>();

  ResultTable(List<String> systems) {
    this.systems = systems;
  }

  void add(Row row) {
    rows.add(row);
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  List<String> systems() {
    return systems;
  }

  /**
   * Prints the table, then one RESULT line per figure, one RATIO line per workload run on every
   * system, the GOAL lines and the DURABILITY line.
   */
  void print(String memoryNote, Map<String, Long> errors, PrintStream out) {
    out.println();
    out.printf(
        Locale.ROOT,
        "%-56s %-11s %11s %11s %11s %8s %8s%n",
        "workload",
        "unit",
        "lockstep",
        "zookeeper",
        "etcd",
        "ls/zk",
        "ls/etcd");
    for (Row row : rows) {
      out.printf(
          Locale.ROOT,
          "%-56s %-11s %11s %11s %11s %8s %8s%n",
          row.label(),
          row.unit(),
          cell(row, "lockstep"),
          cell(row, "zookeeper"),
          cell(row, "etcd"),
          ratioCell(row, "zookeeper"),
          ratioCell(row, "etcd"));
    }
    out.println(
        "ls/x: how many times better Lockstep is (throughput divided, latency and "
            + "server CPU inverted); > 1 favours Lockstep");
    if (memoryNote != null) {
      out.println(memoryNote);
    }
    errors.forEach(
        (system, count) ->
            out.printf(
                "failed calls: %s %d (counted out of the figures; see above for the first)%n",
                system, count));
    out.println();
    for (Row row : rows) {
      for (String system : systems) {
        Double value = row.values().get(system);
        if (value != null) {
          out.printf(
              Locale.ROOT,
              "RESULT workload=%s system=%s value=%s unit=%s%n",
              row.workload(),
              system,
              number(value),
              row.unit());
        }
      }
    }
    for (Row row : rows) {
      if (row.values().size() == systems.size()) {
        out.printf(
            Locale.ROOT,
            "RATIO workload=%s lockstep/zookeeper=%s lockstep/etcd=%s%n",
            row.workload(),
            number(ratio(row, "zookeeper")),
            number(ratio(row, "etcd")));
      }
    }
    out.println();
    Map<String, Row> byWorkload = new LinkedHashMap<>();
    rows.forEach(r -> byWorkload.put(r.workload(), r));
    Goals.print(Goals.speed(byWorkload.containsKey("memory-projected")), byWorkload, out);
    out.println(
        "DURABILITY lockstep: every grant and release is committed to the H2 file "
            + "(WRITE_DELAY=0) and forced to the device (CHECKPOINT SYNC: fsync) before it is "
            + "answered, the next waiter granted or its event sent; concurrent operations share one "
            + "transaction and one fsync (group commit); zookeeper: each transaction is fsynced to "
            + "its log before it is answered (forceSync=yes, the default; it also groups requests "
            + "into one fsync); etcd: each entry is fsynced to its WAL before it is answered (the "
            + "default). All three keep an answered change through a power loss.");
  }

  /**
   * How many times better Lockstep is than {@code other} on this row: throughputs divided,
   * latencies and costs inverted, so that above 1 always favours Lockstep; NaN when either was not
   * measured.
   */
  static double ratio(Row row, String other) {
    Double lockstep = row.values().get("lockstep");
    Double them = row.values().get(other);
    if (lockstep == null || them == null) {
      return Double.NaN;
    }
    return row.higherIsBetter() ? lockstep / them : them / lockstep;
  }

  private static String cell(Row row, String system) {
    Double value = row.values().get(system);
    return value == null ? "-" : number(value);
  }

  private static String ratioCell(Row row, String other) {
    double ratio = ratio(row, other);
    return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio);
  }

  static String number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Math.abs(value) >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
