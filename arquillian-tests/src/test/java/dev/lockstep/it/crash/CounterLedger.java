package dev.lockstep.it.crash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every fencing token from every grant answer and every revision from every lock view, with the
 * server life (epoch) that gave it: the server's one counter must never hand a value out twice, and
 * must never go back across a restart.
 *
 * <p>A grant that a crash left unanswered is asked for again after the restart and comes back with
 * its old token (acquiring again is idempotent): that is the same grant, not a second use of the
 * token, and it is not a new value of the new life either, so it is marked recovered.
 */
final class CounterLedger {
  /** One grant answer: the grant's identity is its session and lock. */
  record GrantSeen(long token, String session, String lock, int epoch, boolean recovered) {}

  /** One lock view: the revision it was taken at, and how many held it. */
  record ViewSeen(long revision, String lock, String mode, int holders, int epoch) {}

  private final Map<Long, GrantSeen> byToken = new HashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final List<ViewSeen> views = new ArrayList<>();

  synchronized void grant(GrantSeen seen) {
    GrantSeen before = byToken.putIfAbsent(seen.token(), seen);
    if (before != null
        && !(before.session().equals(seen.session()) && before.lock().equals(seen.lock()))) {
      problems.add(
          "fencing token " + seen.token() + " handed out twice: " + before + " and " + seen);
    }
  }

  synchronized void view(ViewSeen seen) {
    views.add(seen);
    if (seen.mode() != null && seen.mode().equals("exclusive") && seen.holders() > 1) {
      problems.add("an exclusive lock with " + seen.holders() + " holders: " + seen);
    }
  }

  synchronized int distinctTokens() {
    return byToken.size();
  }

  synchronized long grantsIn(int epoch) {
    return byToken.values().stream().filter(g -> g.epoch() == epoch).count();
  }

  synchronized int views() {
    return views.size();
  }

  /**
   * Everything wrong: tokens used twice, exclusive views with two holders, and values that went
   * back over a restart. Within one life answers arrive in any order (the clients run in parallel),
   * so only lives are compared: every revision of a later life is at least the highest of earlier
   * lives (equal when nothing changed yet), every new token of a later life is above every token
   * and revision of earlier lives.
   */
  synchronized List<String> problems() {
    List<String> all = new ArrayList<>(problems);
    int lastEpoch = views.stream().mapToInt(ViewSeen::epoch).max().orElse(0);
    for (int epoch = 1; epoch <= lastEpoch; epoch++) {
      int life = epoch;
      long highestBefore =
          Math.max(
              views.stream()
                  .filter(v -> v.epoch() < life)
                  .mapToLong(ViewSeen::revision)
                  .max()
                  .orElse(Long.MIN_VALUE),
              byToken.values().stream()
                  .filter(g -> g.epoch() < life)
                  .mapToLong(GrantSeen::token)
                  .max()
                  .orElse(Long.MIN_VALUE));
      long revisionBefore =
          views.stream()
              .filter(v -> v.epoch() < life)
              .mapToLong(ViewSeen::revision)
              .max()
              .orElse(Long.MIN_VALUE);
      views.stream()
          .filter(v -> v.epoch() == life && v.revision() < revisionBefore)
          .forEach(
              v ->
                  all.add(
                      "revision went back over restart "
                          + life
                          + ": "
                          + v
                          + " after "
                          + revisionBefore));
      byToken.values().stream()
          .filter(g -> g.epoch() == life && !g.recovered() && g.token() <= highestBefore)
          .forEach(
              g ->
                  all.add(
                      "fencing token not above the last life's counter ("
                          + highestBefore
                          + ") after restart "
                          + life
                          + ": "
                          + g));
    }
    return all;
  }
}
