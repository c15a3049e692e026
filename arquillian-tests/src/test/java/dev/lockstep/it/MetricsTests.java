package dev.lockstep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.TestSession;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: Prometheus text with the lock service's figures, checked by promtool. */
abstract class MetricsTests {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private final Api api = Api.ofServerUnderTest();

  @Test
  void metrics_afterAGrantAndARelease_countThemAndTimeTheEndpoints() {
    double grants = value("lockstep_grants_total");
    double releases = value("lockstep_releases_total");
    double stored = value("lockstep_store_changes_total");
    double commits = value("lockstep_store_commits_total");
    TestSession session = api.openSession("PT30S");
    String lock = "metrics/" + UUID.randomUUID();
    assertEquals(200, session.acquire(lock, null).statusCode());
    assertTrue(value("lockstep_held_locks") >= 1);
    assertTrue(value("lockstep_sessions") >= 1);
    assertEquals(204, session.release(lock).statusCode());
    session.close();

    assertTrue(value("lockstep_grants_total") >= grants + 1, "grants counted");
    assertTrue(value("lockstep_releases_total") >= releases + 1, "releases counted");
    // open, acquire, release and close each stored something; commits may carry several
    assertTrue(value("lockstep_store_changes_total") >= stored + 4, "stored changes counted");
    double commitsNow = value("lockstep_store_commits_total");
    assertTrue(
        commitsNow > commits && commitsNow <= value("lockstep_store_changes_total"),
        "each commit stores at least one change");
    String text = metrics();
    assertTrue(text.contains("lockstep_request_micros{endpoint=\"PUT /locks/{name}\""), text);
    assertTrue(text.contains("lockstep_request_micros{endpoint=\"DELETE /locks/{name}\""));
    assertTrue(text.contains("# TYPE lockstep_waiters gauge"));
    assertTrue(text.contains("# TYPE lockstep_watchers gauge"));
    assertTrue(text.contains("# TYPE lockstep_expiries_total counter"));
  }

  /**
   * promtool must parse every line (exit 1 is a format error). Its lint (exit 3) finds Payara's own
   * base metrics in camelCase and a _mean line without HELP that Payara writes for every histogram;
   * no other finding may concern a lockstep_ metric.
   */
  @Test
  void metrics_passPromtoolCheck() throws Exception {
    assertTrue(
        Files.isExecutable(PROMTOOL), "promtool is missing: .ci/run installs Debian's prometheus");
    Path file = Files.createTempFile("metrics", ".txt");
    Files.writeString(file, metrics());
    Process promtool =
        new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
    int exit = promtool.exitValue();
    assertTrue(
        exit == 0 || exit == 3, "promtool could not parse the metrics (" + exit + "): " + out);
    List<String> ours =
        out.lines()
            .filter(line -> line.startsWith("lockstep_"))
            .filter(line -> !line.matches("lockstep_request_micros_mean no help text"))
            .toList();
    assertEquals(List.of(), ours, "lint findings about our own metrics");
  }

  /**
   * Group commit through the whole server: 16 clients acquiring and releasing locks of their own at
   * once are answered only after their changes are stored, and share transactions to do it. Every
   * answer must be right (each acquire granted, each release done), and the server must have stored
   * more operations than it made commits.
   */
  @Test
  void concurrentClients_shareCommits_andEveryAnswerIsRight() throws Exception {
    double stored = value("lockstep_store_changes_total");
    double commits = value("lockstep_store_commits_total");
    int clients = 16;
    int cycles = 40;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> done = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      TestSession session = api.openSession("PT60S");
      String lock = "metrics/group-" + UUID.randomUUID();
      done.add(
          pool.submit(
              () -> {
                go.await();
                int wrong = 0;
                for (int i = 0; i < cycles; i++) {
                  wrong += session.acquire(lock, null).statusCode() == 200 ? 0 : 1;
                  wrong += session.release(lock).statusCode() == 204 ? 0 : 1;
                }
                session.close();
                return wrong;
              }));
    }
    go.countDown();
    int wrong = 0;
    for (Future<Integer> f : done) {
      wrong += f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(
        0, wrong, "answers other than 200 to an acquire of a free lock or 204 to a release");
    double changes = value("lockstep_store_changes_total") - stored;
    double made = value("lockstep_store_commits_total") - commits;
    assertTrue(changes >= clients * cycles * 2, "every acquire and release was stored: " + changes);
    assertTrue(made < changes, made + " commits for " + changes + " stored operations");
  }

  private String metrics() {
    HttpResponse<String> answer = api.get("/metrics");
    assertEquals(200, answer.statusCode());
    return answer.body();
  }

  private double value(String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} ([0-9.E+-]+)$").matcher(metrics());
    assertTrue(m.find(), name + " is not in /metrics");
    return Double.parseDouble(m.group(1));
  }
}
