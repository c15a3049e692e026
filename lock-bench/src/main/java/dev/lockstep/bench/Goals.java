package dev.lockstep.bench;

import dev.lockstep.bench.ResultTable.Row;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The goals of issue 15 ("Speed"), one GOAL line per condition, checked against the figures of the
 * run: reported, never asserted. A goal whose figure was not measured in this run (a workload left
 * out with {@code --only}, a system left out with {@code --systems}) prints no line.
 */
final class Goals {
  /** How a figure is held against its bound. */
  enum Bound {
    AT_LEAST(">="),
    AT_MOST("<="),
    BELOW("<");

    final String symbol;

    Bound(String symbol) {
      this.symbol = symbol;
    }

    boolean met(double value, double bound) {
      return switch (this) {
        case AT_LEAST -> value >= bound;
        case AT_MOST -> value <= bound;
        case BELOW -> value < bound;
      };
    }
  }

  /**
   * One goal: the row it reads, what it says (with its bound, as printed), the figure it takes from
   * the row, and the bound that figure is held against.
   */
  record Goal(
      String workload, String text, ToDoubleFunction<Row> figure, Bound bound, double limit) {}

  /** Lockstep against ZooKeeper as in the RATIO lines: above 1 favours Lockstep. */
  private static final ToDoubleFunction<Row> VS_ZOOKEEPER = r -> ResultTable.ratio(r, "zookeeper");

  private static final ToDoubleFunction<Row> LOCKSTEP =
      r -> r.values().getOrDefault("lockstep", Double.NaN);

  /** The goals of issue 15, in its order; {@code memoryProjected}: the heap figure is projected. */
  static List<Goal> speed(boolean memoryProjected) {
    return List.of(
        new Goal(
            "uncontended-shared",
            "uncontended-shared >= 2x zookeeper",
            VS_ZOOKEEPER,
            Bound.AT_LEAST,
            2),
        new Goal(
            "server-cpu-uncontended-shared",
            "lockstep server CPU per cycle in uncontended-shared <= zookeeper's"
                + " (zookeeper/lockstep >= 1)",
            VS_ZOOKEEPER,
            Bound.AT_LEAST,
            1),
        new Goal("uncontended", "uncontended >= 0.6x zookeeper", VS_ZOOKEEPER, Bound.AT_LEAST, 0.6),
        new Goal("contended", "contended >= 1x zookeeper", VS_ZOOKEEPER, Bound.AT_LEAST, 1),
        new Goal(
            "acquire-free-p50",
            "acquire p50 on a free lock <= 0.5 ms",
            LOCKSTEP,
            Bound.AT_MOST,
            0.5),
        new Goal(
            "acquire-free-p99", "acquire p99 on a free lock < 1.5 ms", LOCKSTEP, Bound.BELOW, 1.5),
        memoryProjected
            ? new Goal(
                "memory-projected",
                "heap for 100k sessions + 1M locks < 1 GiB (MiB, projected)",
                LOCKSTEP,
                Bound.BELOW,
                1024)
            : new Goal(
                "memory",
                "heap for 100k sessions + 1M locks < 1 GiB (MiB)",
                LOCKSTEP,
                Bound.BELOW,
                1024),
        new Goal(
            "watch-delay-p99",
            "100 watchers' grant->event p99 < 10 ms",
            LOCKSTEP,
            Bound.BELOW,
            10));
  }

  private Goals() {}

  /** Prints one GOAL line per goal whose figure this run measured. */
  static void print(List<Goal> goals, Map<String, Row> rows, PrintStream out) {
    for (Goal goal : goals) {
      Row row = rows.get(goal.workload());
      double value = row == null ? Double.NaN : goal.figure().applyAsDouble(row);
      if (Double.isNaN(value)) {
        continue;
      }
      out.printf(
          Locale.ROOT,
          "GOAL %s: %s, %s%n",
          goal.text(),
          ResultTable.number(value),
          goal.bound().met(value, goal.limit()) ? "met" : "missed");
    }
  }
}
