package dev.lockstep.lock.persistence;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.lock.session.SessionTokenIssuer;
import dev.lockstep.lock.table.Changes;
import dev.lockstep.lock.table.LockTable;
import dev.lockstep.lock.table.OpenedSession;
import dev.lockstep.lock.table.Outcome;
import dev.lockstep.lock.table.TableLimits;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Measures one group commit of a typical batch (one acquire and one release) through the store, on
 * the committing thread: latency and thread CPU. Not a test: run it by hand (see the README's
 * "Persistence" paragraph) and compare its line before and after a change of the store.
 *
 * <p>Arguments: {@code label} (what the line calls the store), {@code commits}, and optionally a
 * PostgreSQL JDBC URL, user and password; without one it runs on an H2 file in a temporary
 * directory.
 */
public final class CommitBench {
  private CommitBench() {}

  public static void main(String[] args) throws Exception {
    String label = args.length > 0 ? args[0] : "journal";
    int commits = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    Optional<String> url = args.length > 2 ? Optional.of(args[2]) : Optional.empty();
    Path dir = Files.createTempDirectory("commit-bench");
    StoreSettings settings =
        new StoreSettings(
            dir,
            url,
            url.map(u -> args.length > 3 ? args[3] : "lockstep"),
            url.map(u -> args.length > 4 ? args[4] : "lockstep"));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    LockTable table =
        new LockTable(Clock.systemUTC(), TableLimits.defaults(), new SessionTokenIssuer());
    try (JpaLockStore store = JpaLockStore.open(settings, 100_000)) {
      // A database used before: go on from its counter, or the events' revisions would clash.
      StoredState stored = store.load();
      table.restore(stored.counter(), stored.sessions(), stored.grants(), stored.delays());
      Outcome<OpenedSession> opened = table.openSession("bench", Duration.ofHours(1), null);
      store.apply(List.of(opened.changes()));
      OpenedSession session = opened.result();
      String token = session.token().value();
      LockName lock = new LockName("bench/lock");
      run(store, table, token, lock, commits / 2, threads, null);
      long[] latencies = new long[commits];
      long[] cpu = new long[1];
      run(store, table, token, lock, commits, threads, new Sample(latencies, cpu));
      Arrays.sort(latencies);
      System.out.printf(
          "COMMIT store=%s db=%s p50_us=%d p99_us=%d cpu_us_per_commit=%d%n",
          label,
          url.isPresent() ? "pg" : "h2",
          latencies[commits / 2] / 1_000,
          latencies[(int) (commits * 0.99)] / 1_000,
          cpu[0] / commits / 1_000);
    }
  }

  private record Sample(long[] latencies, long[] cpu) {}

  private static void run(
      JpaLockStore store,
      LockTable table,
      String token,
      LockName lock,
      int commits,
      ThreadMXBean threads,
      Sample sample) {
    for (int i = 0; i < commits; i++) {
      Changes acquire =
          table.acquire(token, lock, LockMode.EXCLUSIVE, "bench", Duration.ZERO).changes();
      Changes release = table.release(token, lock).changes();
      long cpu = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      store.apply(List.of(acquire, release));
      long took = System.nanoTime() - start;
      if (sample != null) {
        sample.latencies[i] = took;
        sample.cpu[0] += threads.getCurrentThreadCpuTime() - cpu;
      }
    }
  }
}
