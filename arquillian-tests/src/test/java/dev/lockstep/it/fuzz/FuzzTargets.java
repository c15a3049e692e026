package dev.lockstep.it.fuzz;

import java.util.List;

/**
 * What the fuzzer may aim at. The known session's own token is deliberately absent: the fuzzer may
 * read the known session and its locks, and send them mangled or foreign tokens, but nothing it
 * sends can act for that session, so its locks must come through unchanged.
 *
 * @param prefix every name the fuzzer makes starts with it, so all it can be granted is its own
 * @param knownLocks the locks the known session holds
 * @param fuzzSessions sessions owned by the fuzzer: ids and tokens, the same order
 */
public record FuzzTargets(
    String prefix,
    List<String> knownLocks,
    String knownSession,
    String knownToken,
    List<String> fuzzSessions,
    List<String> fuzzTokens) {
  /** How many meeting names there are. */
  public static final int MEETING_NAMES = 3;

  public FuzzTargets {
    knownLocks = List.copyOf(knownLocks);
    fuzzSessions = List.copyOf(fuzzSessions);
    fuzzTokens = List.copyOf(fuzzTokens);
  }

  /**
   * One of a few names under the prefix that both fuzz sessions acquire, release and wait for, so
   * that their requests queue behind each other and the grant channel carries grants as well as
   * timeouts.
   */
  public String meetingName(int which) {
    return prefix + "own/meet/" + which;
  }
}
