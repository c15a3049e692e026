package dev.lockstep.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.bench.ResultTable.Row;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTableTest {
  private static final List<String> SYSTEMS = List.of("lockstep", "zookeeper", "etcd");

  private static Row row(
      String workload, String unit, boolean higherIsBetter, double ls, double zk, double etcd) {
    return new Row(
        workload,
        workload + " label",
        unit,
        higherIsBetter,
        Map.of("lockstep", ls, "zookeeper", zk, "etcd", etcd));
  }

  @Test
  void aThroughputRatioDividesLockstepByTheOther() {
    Row row = row("uncontended", "cycles/s", true, 300, 100, 600);
    assertEquals(3.0, ResultTable.ratio(row, "zookeeper"), 1e-9);
    assertEquals(0.5, ResultTable.ratio(row, "etcd"), 1e-9);
  }

  @Test
  void latencyAndCpuRatiosAreInvertedSoThatAboveOneFavoursLockstep() {
    Row latency = row("acquire-free-p99", "ms", false, 2, 1, 8);
    assertEquals(0.5, ResultTable.ratio(latency, "zookeeper"), 1e-9);
    assertEquals(4.0, ResultTable.ratio(latency, "etcd"), 1e-9);
    Row cpu = row("server-cpu-uncontended", "us/cycle", false, 50, 150, 25);
    assertEquals(3.0, ResultTable.ratio(cpu, "zookeeper"), 1e-9);
    assertEquals(0.5, ResultTable.ratio(cpu, "etcd"), 1e-9);
  }

  @Test
  void aRatioWithAFigureMissingIsNaN() {
    Row lockstepOnly = new Row("watch-delay-p99", "w", "ms", false, Map.of("lockstep", 3.0));
    assertTrue(Double.isNaN(ResultTable.ratio(lockstepOnly, "zookeeper")));
  }

  @Test
  void printsResultAndRatioLinesInTheirExactForm() {
    ResultTable table = new ResultTable(SYSTEMS);
    table.add(row("uncontended-shared", "cycles/s", true, 4000, 2000, 1000));
    table.add(row("server-cpu-uncontended-shared", "us/cycle", false, 80, 160, 40));
    table.add(new Row("watch-delay-p99", "w", "ms", false, Map.of("lockstep", 3.5)));
    List<String> lines = print(table);
    assertTrue(
        lines.contains(
            "RESULT workload=uncontended-shared system=zookeeper value=2000 unit=cycles/s"),
        String.join("\n", lines));
    assertTrue(
        lines.contains(
            "RESULT workload=server-cpu-uncontended-shared system=lockstep value=80.000"
                + " unit=us/cycle"));
    assertTrue(
        lines.contains(
            "RATIO workload=uncontended-shared lockstep/zookeeper=2.000 lockstep/etcd=4.000"));
    assertTrue(
        lines.contains(
            "RATIO workload=server-cpu-uncontended-shared lockstep/zookeeper=2.000"
                + " lockstep/etcd=0.500"));
    // A figure of Lockstep alone has its RESULT line but no RATIO line.
    assertTrue(
        lines.contains("RESULT workload=watch-delay-p99 system=lockstep value=3.500 unit=ms"));
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("RATIO workload=watch-delay-p99")));
  }

  @Test
  void printsOneGoalLinePerGoalOfIssue15WithItsBoundApplied() {
    ResultTable table = new ResultTable(SYSTEMS);
    table.add(row("uncontended", "cycles/s", true, 600, 1000, 500));
    table.add(row("uncontended-shared", "cycles/s", true, 1900, 1000, 500));
    table.add(row("server-cpu-uncontended-shared", "us/cycle", false, 100, 100, 50));
    table.add(row("contended", "handoffs/s", true, 999, 1000, 100));
    table.add(row("acquire-free-p50", "ms", false, 0.5, 0.2, 0.3));
    table.add(row("acquire-free-p99", "ms", false, 1.5, 0.5, 0.8));
    table.add(new Row("memory", "m", "MiB", false, Map.of("lockstep", 2000.0)));
    table.add(new Row("memory-projected", "p", "MiB", false, Map.of("lockstep", 700.0)));
    table.add(new Row("watch-delay-p99", "w", "ms", false, Map.of("lockstep", 9.9)));
    List<String> goals = print(table).stream().filter(l -> l.startsWith("GOAL ")).toList();
    assertEquals(
        List.of(
            "GOAL uncontended-shared >= 2x zookeeper: 1.900, missed",
            "GOAL lockstep server CPU per cycle in uncontended-shared <= zookeeper's"
                + " (zookeeper/lockstep >= 1): 1.000, met",
            "GOAL uncontended >= 0.6x zookeeper: 0.600, met",
            "GOAL contended >= 1x zookeeper: 0.999, missed",
            "GOAL acquire p50 on a free lock <= 0.5 ms: 0.500, met",
            "GOAL acquire p99 on a free lock < 1.5 ms: 1.500, missed",
            "GOAL heap for 100k sessions + 1M locks < 1 GiB (MiB, projected): 700, met",
            "GOAL 100 watchers' grant->event p99 < 10 ms: 9.900, met"),
        goals);
  }

  @Test
  void aGoalWhoseFigureWasNotMeasuredPrintsNoLine() {
    ResultTable table = new ResultTable(SYSTEMS);
    // --systems lockstep: no ZooKeeper figure to hold the ratio goals against.
    table.add(new Row("uncontended", "u", "cycles/s", true, Map.of("lockstep", 900.0)));
    table.add(new Row("memory", "m", "MiB", false, Map.of("lockstep", 1100.0)));
    List<String> goals = print(table).stream().filter(l -> l.startsWith("GOAL ")).toList();
    assertEquals(
        List.of("GOAL heap for 100k sessions + 1M locks < 1 GiB (MiB): 1100, missed"), goals);
  }

  private static List<String> print(ResultTable table) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    table.print(null, Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\\R"));
  }
}
