package dev.lockstep.bench;

import dev.lockstep.bench.ResultTable.Row;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lockstep, ZooKeeper and etcd side by side, each through its ordinary Java client, the same
 * workloads with the same number of client threads, in one run; servers are started by {@code
 * bench.sh}. Every figure is the median of three runs (warm-up, then a fixed time).
 *
 * <p>Usage: {@code Bench --lockstep <url> --zookeeper <host:port> --etcd <url> [--server-pid <pid>]
 * [--zookeeper-pid <pid>] [--etcd-pid <pid>] [--quick] [--only <workload,...>] [--systems
 * lockstep,zookeeper,etcd] [--memory-sessions N] [--chart <file.svg>] [--commit <id>]}: {@code
 * --server-pid} is Lockstep's server process (its CPU and its heap are read), the other two pids
 * those of ZooKeeper and etcd (their CPU is read); {@code --chart} writes the table as an SVG.
 */
public final class Bench {
  private static final List<String> SYSTEMS = List.of("lockstep", "zookeeper", "etcd");

  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** What {@code --only} takes. */
  private static final List<String> WORKLOADS =
      List.of(
          "uncontended",
          "uncontended-shared",
          "contended",
          "acquire-free",
          "handoff",
          "watch",
          "memory");

  /** The option naming each system's server process, whose CPU the throughput workloads read. */
  private static final Map<String, String> PID_OPTIONS =
      Map.of("lockstep", "server-pid", "zookeeper", "zookeeper-pid", "etcd", "etcd-pid");

  private final ResultTable rows = new ResultTable(SYSTEMS);

  /**
   * Quieted loggers, held so that they are not collected with their levels: Jersey warns once per
   * client about a MessageBodyWriter for jakarta.activation it cannot load (unused here), and the
   * lock client's keep-alive, when one is in flight while its client closes, logs the closed Jersey
   * client's stack trace (harmless: the session is already deleted).
   */
  private static final List<Logger> QUIETED =
      List.of(
          Logger.getLogger("org.glassfish.jersey.message.internal"),
          Logger.getLogger("dev.lockstep.client.Sessions"));

  public static void main(String[] args) throws Exception {
    QUIETED.forEach(logger -> logger.setLevel(Level.SEVERE));
    Map<String, String> options = new LinkedHashMap<>();
    boolean quick = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--quick")) {
        quick = true;
      } else if (args[i].startsWith("--") && i + 1 < args.length) {
        options.put(args[i].substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Set<String> only =
        options.containsKey("only")
            ? new TreeSet<>(Arrays.asList(options.get("only").split(",")))
            : null;
    if (only != null && !WORKLOADS.containsAll(only)) {
      // A misspelt name would otherwise run nothing and print an empty table.
      throw new IllegalArgumentException(
          "--only takes some of " + String.join(",", WORKLOADS) + "; not " + options.get("only"));
    }
    new Bench().run(options, quick, only);
    // jetcd and Jersey leave non-daemon threads behind; the run is over.
    System.exit(0);
  }

  private void run(Map<String, String> options, boolean quick, Set<String> only) throws Exception {
    Duration warmUp = Duration.ofSeconds(quick ? 1 : 3);
    Duration measure = Duration.ofSeconds(quick ? 2 : 10);
    URI lockstepUrl = URI.create(options.get("lockstep"));
    List<LockSystem> systems = new ArrayList<>();
    Set<String> chosen =
        new TreeSet<>(
            Arrays.asList(options.getOrDefault("systems", String.join(",", SYSTEMS)).split(",")));
    if (chosen.contains("lockstep")) {
      systems.add(new LockstepSystem(lockstepUrl));
    }
    if (chosen.contains("zookeeper")) {
      systems.add(new ZooKeeperSystem(options.get("zookeeper")));
    }
    if (chosen.contains("etcd")) {
      systems.add(new EtcdSystem(options.get("etcd")));
    }
    Map<String, ProcessCpu> servers = new LinkedHashMap<>();
    long ticksPerSecond = ProcessCpu.clockTicksPerSecond();
    for (String system : SYSTEMS) {
      Optional.ofNullable(options.get(PID_OPTIONS.get(system)))
          .ifPresent(
              pid -> servers.put(system, new ProcessCpu(Long.parseLong(pid), ticksPerSecond)));
    }
    Workloads workloads = new Workloads(warmUp, measure, servers);
    System.out.printf(
        "%s: warm-up %d s, measure %d s, 3 runs per figure, medians%n",
        quick ? "quick" : "full", warmUp.toSeconds(), measure.toSeconds());
    // A freshly started JVM server (Lockstep on Payara, ZooKeeper) runs interpreted code for tens
    // of seconds; the seconds of warm-up per figure would then measure its JIT, not its steady
    // state. Each system first serves the three lock workloads unmeasured (one client per thread
    // and one shared client may take different paths through a server), so that all are compared
    // warm, as they run in production.
    Duration jit = Duration.ofSeconds(quick ? 10 : 30);
    Workloads jitWarmUp = new Workloads(jit, Duration.ofSeconds(1), Map.of());
    for (LockSystem system :
        only != null && only.equals(Set.of("memory")) ? List.<LockSystem>of() : systems) {
      System.out.printf(
          "- JIT warm-up of %s: %d s each uncontended, uncontended-shared, contended, unmeasured%n",
          system.name(), jit.toSeconds());
      jitWarmUp.uncontended(system, 16, 16);
      jitWarmUp.uncontended(system, 16, 1);
      jitWarmUp.contended(system, 12);
    }
    if (servers.isEmpty()) {
      System.out.println("- no server pids given: no server CPU figures");
    }

    if (wanted(only, "uncontended")) {
      throughput(
          "uncontended",
          "uncontended: 16 clients, own lock each",
          "cycles/s",
          systems,
          s -> workloads.uncontended(s, 16, 16));
    }
    if (wanted(only, "uncontended-shared")) {
      throughput(
          "uncontended-shared",
          "uncontended-shared: 16 threads, one client, own lock each",
          "cycles/s",
          systems,
          s -> workloads.uncontended(s, 16, 1));
    }
    if (wanted(only, "contended")) {
      throughput(
          "contended",
          "contended: 12 clients on one lock",
          "handoffs/s",
          systems,
          s -> workloads.contended(s, 12));
    }
    if (wanted(only, "acquire-free")) {
      latencies(
          new String[] {"acquire-free-p50", "acquire-free-p99", "acquire-free-p999"},
          new String[] {
            "acquire a free lock, p50", "acquire a free lock, p99", "acquire a free lock, p999"
          },
          systems,
          workloads::freeAcquireLatency);
    }
    if (wanted(only, "handoff")) {
      latencies(
          new String[] {"handoff-p50", "handoff-p99"},
          new String[] {
            "release -> next waiter granted (4 clients), p50",
            "release -> next waiter granted (4 clients), p99"
          },
          systems,
          s -> workloads.handOffLatency(s, 4));
    }
    HttpBench http = new HttpBench(lockstepUrl);
    if (wanted(only, "watch")) {
      System.out.println("- watchers (lockstep only, raw HTTP + SSE)");
      double[] watched = medians(() -> http.watched(100, 12, warmUp, measure));
      rows.add(
          new Row(
              "watch-fanout",
              "100 watchers, 12 contending: events delivered",
              "events/s",
              true,
              Map.of("lockstep", watched[0])));
      rows.add(
          new Row(
              "watch-delay-p99",
              "100 watchers, 12 contending: grant->event p99",
              "ms",
              false,
              Map.of("lockstep", watched[1])));
      rows.add(
          new Row(
              "watch-delay-p50",
              "100 watchers, 12 contending: grant->event p50",
              "ms",
              false,
              Map.of("lockstep", watched[2])));
    }
    Optional<String> memoryNote = Optional.empty();
    if (wanted(only, "memory") && options.containsKey("server-pid")) {
      // 1M grants over HTTP take many minutes; --quick fills a two-hundredth and says so, and
      // --memory-sessions N (N sessions of 10 locks) overrides either.
      int sessions =
          Integer.parseInt(options.getOrDefault("memory-sessions", quick ? "500" : "100000"));
      memoryNote =
          MemoryFigures.measure(http, Long.parseLong(options.get("server-pid")), sessions, rows);
    }
    rows.print(memoryNote.orElse(null), workloads.errorCounts, System.out);
    if (options.containsKey("chart")) {
      Path chart = Path.of(options.get("chart"));
      String title =
          String.format(
              Locale.ROOT,
              "Lockstep, ZooKeeper, etcd: %s run, %s UTC%s",
              quick ? "quick" : "full",
              MINUTE.format(Instant.now()),
              options.containsKey("commit") ? ", commit " + options.get("commit") : "");
      Files.createDirectories(chart.toAbsolutePath().getParent());
      Files.writeString(chart, new SvgChart(SYSTEMS).render(title, rows.rows()));
      System.out.println("chart: " + chart);
    }
  }

  private static boolean wanted(Set<String> only, String workload) {
    return only == null || only.contains(workload);
  }

  interface Measure {
    Workloads.Throughput once(LockSystem system) throws Exception;
  }

  interface MeasureMany {
    double[] once(LockSystem system) throws Exception;
  }

  /**
   * Adds the workload's row, and a {@code server-cpu-<workload>} row of the server CPU per
   * operation (one acquire+release cycle; in the contended workload a hand-off is one) for the
   * systems whose server process is known.
   */
  private void throughput(
      String workload, String label, String unit, List<LockSystem> systems, Measure measure)
      throws Exception {
    System.out.println("- " + label);
    Map<String, Double> values = new LinkedHashMap<>();
    Map<String, Double> cpu = new LinkedHashMap<>();
    for (LockSystem system : systems) {
      double[] figures =
          medians(
              () -> {
                Workloads.Throughput once = measure.once(system);
                return new double[] {once.perSecond(), once.serverMicrosPerOp().orElse(Double.NaN)};
              });
      System.out.printf(
          Locale.ROOT,
          "    %-10s %12.1f %s, server CPU %s us/cycle%n",
          system.name(),
          figures[0],
          unit,
          ResultTable.number(figures[1]));
      values.put(system.name(), figures[0]);
      if (!Double.isNaN(figures[1])) {
        cpu.put(system.name(), figures[1]);
      }
    }
    rows.add(new Row(workload, label, unit, true, values));
    if (!cpu.isEmpty()) {
      String what = label.substring(0, label.indexOf(':'));
      rows.add(
          new Row(
              "server-cpu-" + workload,
              "server CPU per cycle, " + what + " (/proc stat)",
              "us/cycle",
              false,
              cpu));
    }
  }

  private void latencies(
      String[] workloads, String[] labels, List<LockSystem> systems, MeasureMany measure)
      throws Exception {
    System.out.println("- " + labels[0].substring(0, labels[0].lastIndexOf(',')));
    List<Map<String, Double>> values = new ArrayList<>();
    for (int i = 0; i < workloads.length; i++) {
      values.add(new LinkedHashMap<>());
    }
    for (LockSystem system : systems) {
      double[] figures = medians(() -> measure.once(system));
      System.out.printf(Locale.ROOT, "    %-10s %s ms%n", system.name(), Arrays.toString(figures));
      for (int i = 0; i < workloads.length; i++) {
        values.get(i).put(system.name(), figures[i]);
      }
    }
    for (int i = 0; i < workloads.length; i++) {
      rows.add(new Row(workloads[i], labels[i], "ms", false, values.get(i)));
    }
  }

  interface Runs {
    double[] once() throws Exception;
  }

  /** Element-wise medians of three runs. */
  static double[] medians(Runs run) throws Exception {
    double[][] runs = {run.once(), run.once(), run.once()};
    double[] result = new double[runs[0].length];
    for (int i = 0; i < result.length; i++) {
      double[] column = {runs[0][i], runs[1][i], runs[2][i]};
      Arrays.sort(column);
      result[i] = column[1];
    }
    return result;
  }
}
