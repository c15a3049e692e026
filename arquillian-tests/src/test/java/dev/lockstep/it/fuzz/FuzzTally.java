package dev.lockstep.it.fuzz;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run sent, by kind of endpoint ({@link Aim#kind()}): how many requests, the statuses they
 * were answered with (0: none, as for an abandoned poll) and the milliseconds spent on them, for
 * the lines the test prints.
 */
public final class FuzzTally {
  private final Map<String, Integer> requests = new TreeMap<>();
  private final Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
  private final Map<String, Long> nanos = new TreeMap<>();

  public void count(FuzzRequest request, Reply reply, Duration took) {
    String kind = request.aim().kind();
    requests.merge(kind, 1, Integer::sum);
    statuses.computeIfAbsent(kind, k -> new TreeMap<>()).merge(reply.status(), 1, Integer::sum);
    nanos.merge(kind, took.toNanos(), Long::sum);
  }

  /** How many requests of {@code kind} were answered {@code status}. */
  public int answered(String kind, int status) {
    return statuses.getOrDefault(kind, Map.of()).getOrDefault(status, 0);
  }

  @Override
  public String toString() {
    Map<String, Long> millis = new TreeMap<>();
    nanos.forEach((kind, n) -> millis.put(kind, n / 1_000_000));
    return "kinds=" + requests + " millis=" + millis + " statuses=" + statuses;
  }
}
