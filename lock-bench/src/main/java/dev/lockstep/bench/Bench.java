package dev.lockstep.bench;

import dev.lockstep.bench.ResultTable.Row;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lockstep, ZooKeeper and etcd side by side, each through its ordinary Java client, the same
 * workloads with the same number of client threads, in one run; servers are started by {@code
 * bench.sh}. Every figure is the median of three runs (warm-up, then a fixed time).
 *
 * <p>Usage: {@code Bench --lockstep <url> --zookeeper <host:port> --etcd <url> --server-pid <pid>
 * [--quick] [--only <workload,...>] [--systems lockstep,zookeeper,etcd] [--memory-sessions N]}
 */
public final class Bench {
  private static final List<String> SYSTEMS = List.of("lockstep", "zookeeper", "etcd");
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

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
    Workloads workloads = new Workloads(warmUp, measure);
    System.out.printf(
        "%s: warm-up %d s, measure %d s, 3 runs per figure, medians%n",
        quick ? "quick" : "full", warmUp.toSeconds(), measure.toSeconds());
    // A freshly started JVM server (Lockstep on Payara, ZooKeeper) runs interpreted code for tens
    // of seconds; the seconds of warm-up per figure would then measure its JIT, not its steady
    // state. Each system first serves both lock workloads unmeasured, so that all are compared
    // warm, as they run in production.
    Duration jit = Duration.ofSeconds(quick ? 10 : 30);
    Workloads jitWarmUp = new Workloads(jit, Duration.ofSeconds(1));
    for (LockSystem system :
        only != null && only.equals(Set.of("memory")) ? List.<LockSystem>of() : systems) {
      System.out.printf(
          "- JIT warm-up of %s: %d s uncontended, %d s contended, unmeasured%n",
          system.name(), jit.toSeconds(), jit.toSeconds());
      jitWarmUp.uncontended(system, 16);
      jitWarmUp.contended(system, 12);
    }

    if (wanted(only, "uncontended")) {
      throughput(
          "uncontended",
          "uncontended: 16 clients, own lock each",
          "cycles/s",
          systems,
          s -> workloads.uncontended(s, 16));
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
    String memoryNote = null;
    if (wanted(only, "memory") && options.containsKey("server-pid")) {
      // 1M grants over HTTP take many minutes; --quick fills a two-hundredth and says so, and
      // --memory-sessions N (N sessions of 10 locks) overrides either.
      int sessions =
          Integer.parseInt(options.getOrDefault("memory-sessions", quick ? "500" : "100000"));
      int locksPerSession = 10;
      long pid = Long.parseLong(options.get("server-pid"));
      System.out.printf(
          "- memory (lockstep only): %d sessions holding %d locks each, raw HTTP%n",
          sessions, locksPerSession);
      double before = heapUsedAfterFullGcMiB(pid);
      double seconds = http.fill(sessions, locksPerSession, 16);
      double after = heapUsedAfterFullGcMiB(pid);
      String label =
          String.format(
              Locale.ROOT,
              "server heap after full GC, %d sessions + %d locks",
              sessions,
              sessions * locksPerSession);
      rows.add(new Row("memory", label, "MiB", false, Map.of("lockstep", after)));
      rows.add(
          new Row(
              "memory-baseline",
              "server heap after full GC, before filling",
              "MiB",
              false,
              Map.of("lockstep", before)));
      rows.add(
          new Row(
              "memory-sessions",
              "sessions held while measuring",
              "sessions",
              true,
              Map.of("lockstep", (double) sessions)));
      rows.add(
          new Row(
              "memory-locks",
              "locks held while measuring",
              "locks",
              true,
              Map.of("lockstep", (double) sessions * locksPerSession)));
      rows.add(
          new Row(
              "memory-per-lock",
              "heap per held lock (incl. its share of a session)",
              "bytes",
              false,
              Map.of("lockstep", (after - before) * 1024 * 1024 / (sessions * locksPerSession))));
      rows.add(
          new Row(
              "memory-fill-rate",
              "filling: sessions + grants over raw HTTP, 16 threads",
              "requests/s",
              true,
              Map.of("lockstep", sessions * (locksPerSession + 1) / seconds)));
      if (sessions != 100_000) {
        double projected = before + (after - before) * 100_000 / sessions;
        rows.add(
            new Row(
                "memory-projected",
                "server heap projected for 100k sessions + 1M locks",
                "MiB",
                false,
                Map.of("lockstep", projected)));
        memoryNote =
            String.format(
                Locale.ROOT,
                "memory: this run filled %d sessions / %d locks, "
                    + "not 100k / 1M (filling over HTTP runs at the server's request rate); the "
                    + "projection scales the growth linearly",
                sessions,
                sessions * locksPerSession);
      }
    }
    rows.print(memoryNote, workloads.errorCounts);
  }

  private static boolean wanted(Set<String> only, String workload) {
    return only == null || only.contains(workload);
  }

  interface Measure {
    double once(LockSystem system) throws Exception;
  }

  interface MeasureMany {
    double[] once(LockSystem system) throws Exception;
  }

  private void throughput(
      String workload, String label, String unit, List<LockSystem> systems, Measure measure)
      throws Exception {
    System.out.println("- " + label);
    Map<String, Double> values = new LinkedHashMap<>();
    for (LockSystem system : systems) {
      double value = medians(() -> new double[] {measure.once(system)})[0];
      System.out.printf(Locale.ROOT, "    %-10s %12.1f %s%n", system.name(), value, unit);
      values.put(system.name(), value);
    }
    rows.add(new Row(workload, label, unit, true, values));
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
