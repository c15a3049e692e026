package dev.lockstep.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;

/**
 * Lockstep's HTTP figures alone, against a server that is already running: contended hand-offs, one
 * client's cycles, and the watchers' figures, medians of three runs.
 *
 * <p>Usage: {@code HttpBenchMain <base-url> [--quick]}
 */
public final class HttpBenchMain {
  private HttpBenchMain() {}

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args.length > 0 ? args[0] : "http://localhost:8080");
    boolean quick = Arrays.asList(args).contains("--quick");
    Duration warmUp = Duration.ofSeconds(quick ? 1 : 3);
    Duration measure = Duration.ofSeconds(quick ? 3 : 10);
    HttpBench bench = new HttpBench(base);
    System.out.printf(
        "Lockstep at %s, warm-up %ss, measure %ss, 3 runs, medians%n",
        base, warmUp.toSeconds(), measure.toSeconds());
    double contended = Bench.medians(() -> new double[] {bench.contended(12, warmUp, measure)})[0];
    double single = Bench.medians(() -> new double[] {bench.singleClient(warmUp, measure)})[0];
    double[] watched = Bench.medians(() -> bench.watched(100, 12, warmUp, measure));
    System.out.printf(
        "%-52s %12.0f%n", "contended: 12 clients on one lock, hand-offs/s", contended);
    System.out.printf("%-52s %12.0f%n", "one client acquire+release, cycles/s", single);
    System.out.printf(
        "%-52s %12.0f%n", "100 watchers, 12 contending: events delivered/s", watched[0]);
    System.out.printf(
        "%-52s %12.1f%n", "100 watchers, 12 contending: grant->event p99, ms", watched[1]);
    System.out.printf(
        "%-52s %12.1f%n", "100 watchers, 12 contending: grant->event p50, ms", watched[2]);
    System.out.printf(
        "RESULT workload=contended system=lockstep value=%.0f unit=handoffs/s%n", contended);
    System.out.printf(
        "RESULT workload=single-client system=lockstep value=%.0f unit=cycles/s%n", single);
    System.out.printf(
        "RESULT workload=watch-fanout system=lockstep value=%.0f unit=events/s%n", watched[0]);
    System.out.printf(
        "RESULT workload=watch-delay-p99 system=lockstep value=%.1f unit=ms%n", watched[1]);
    System.out.printf(
        "RESULT workload=watch-delay-p50 system=lockstep value=%.1f unit=ms%n", watched[2]);
  }
}
