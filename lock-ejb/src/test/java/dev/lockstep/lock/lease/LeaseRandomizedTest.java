package dev.lockstep.lock.lease;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.lock.table.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three candidates claim in a random order with random delays between sending a claim, the database
 * running it, and the answer arriving: never two servers active at one epoch, never two answering
 * reads at once, and the epoch only grows.
 */
class LeaseRandomizedTest {
  private static final Duration LENGTH = Duration.ofSeconds(2);
  private static final Duration MARGIN = Duration.ofMillis(300);

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void candidates_neverBothWin(long seed) {
    Random random = new Random(seed);
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    FakeLeaseStore store = new FakeLeaseStore(clock);
    List<String> servers = List.of("a", "b", "c");
    Map<String, Lease> leases = new HashMap<>();
    servers.forEach(s -> leases.put(s, new Lease(s, clock, LENGTH, MARGIN)));
    Map<Long, String> winners = new HashMap<>();
    long lastEpoch = 0;

    for (int step = 0; step < 2_000; step++) {
      String server = servers.get(random.nextInt(servers.size()));
      Lease lease = leases.get(server);
      if (random.nextInt(10) == 0) {
        lease.commitRefused(lease.knownEpoch());
      }
      Instant sentAt = lease.sending();
      clock.advance(Duration.ofMillis(random.nextInt(400)));
      LeaderRecord row = store.claim(server, "http://" + server, lease.knownEpoch(), LENGTH);
      clock.advance(Duration.ofMillis(random.nextInt(400)));
      lease.answered(sentAt, row);

      assertTrue(row.epoch() >= lastEpoch, "the epoch went back at step " + step);
      lastEpoch = row.epoch();
      for (Lease each : leases.values()) {
        each.activeEpoch()
            .ifPresent(
                epoch -> {
                  String winner = winners.putIfAbsent(epoch, serverOf(leases, each));
                  assertTrue(
                      winner == null || winner.equals(serverOf(leases, each)),
                      "two winners at epoch " + epoch);
                });
      }
      long reading = leases.values().stream().filter(Lease::mayAnswerReads).count();
      assertTrue(reading <= 1, reading + " servers answer reads at step " + step);
    }
    assertTrue(winners.size() > 3, "the schedule should have changed hands: " + winners);
  }

  private static String serverOf(Map<String, Lease> leases, Lease lease) {
    return leases.entrySet().stream()
        .filter(e -> e.getValue() == lease)
        .findFirst()
        .orElseThrow()
        .getKey();
  }
}
