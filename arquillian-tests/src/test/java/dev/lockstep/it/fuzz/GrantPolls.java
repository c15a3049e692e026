package dev.lockstep.it.fuzz;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The query of a grant poll ({@code ?after=N&wait=PT..S}) with odd values: negative, huge and
 * non-numeric {@code after}s, ISO durations out of [PT0S, PT60S], sub-millisecond waits. A poll
 * that may be authorized (of a fuzz session) gets only short waits, so that no poll holds the run;
 * polls nobody could authorize also get long and absent ones, refused at once all the same. Its
 * {@code after} is often the {@code next} its session's last poll answered, so that polls wait.
 */
final class GrantPolls {
  /** A query value as sent, and what the server reads it as when it is valid. */
  private record Value<T>(String query, Optional<T> valid) {}

  private static final List<Value<Duration>> SHORT_WAITS =
      List.of(
          wait("PT0S", 0),
          wait("PT0S", 0),
          wait("PT0.000S", 0),
          wait("pt0.01s", 10),
          wait("PT0.05S", 50),
          wait("PT0.03S", 30),
          wait("PT0,05S", 50), // ISO-8601 allows a decimal comma, and so does java.time
          wait("%50T0.02S", 20),
          wait("PT0.0001S", 0),
          wait("PT0.000999S", 0),
          wait("PT0.000000001S", 0));
  private static final List<Value<Duration>> LONG_WAITS =
      List.of(
          wait("PT60S", 60_000),
          wait("PT1M", 60_000),
          wait("PT59.999S", 59_999),
          wait("PT25S", 25_000),
          new Value<>("", Optional.of(Duration.ofSeconds(25)))); // no wait: the default
  private static final List<String> BAD_WAITS =
      List.of(
          "PT60.001S",
          "PT61S",
          "PT1M0.000000001S",
          "P1D",
          "PT-1S",
          "-PT1S",
          "PT1M-1S",
          "PT9999999999999999999S",
          "abc",
          "",
          "PT",
          "1000",
          "%20PT0S",
          "PT0S%20",
          "PT0.05",
          "PT0.1S.5",
          "%E2%88%9E");
  private static final List<String> BAD_AFTERS =
      List.of(
          "-1",
          "%2D1",
          "abc",
          "",
          "1e3",
          "0x10",
          "1.0",
          "%201",
          "9223372036854775808",
          "99999999999999999999",
          "-9223372036854775808");

  private final FuzzValues values;
  private final Map<String, Long> nextSeen = new HashMap<>();

  GrantPolls(FuzzValues values) {
    this.values = values;
  }

  /** A generated query ({@code ?...}, maybe empty), and what its answer is judged by. */
  record Query(String text, Aim.GrantPoll aim, boolean invalid) {}

  /**
   * A query for a poll of {@code session}; {@code mayBeAuthorized}: the poll's token may be that
   * session's, so it may wait as long as its {@code wait} says.
   */
  Query next(String session, boolean mayBeAuthorized) {
    Value<Long> after = after(session);
    Value<Duration> wait = wait(mayBeAuthorized);
    StringBuilder query = new StringBuilder();
    if (!after.query().isEmpty() || after.valid().isEmpty()) {
      query.append("after=").append(after.query());
    }
    // An absent wait is the default, PT25S: only where the poll cannot be authorized.
    if (!wait.query().isEmpty() || wait.valid().isEmpty()) {
      query.append(query.isEmpty() ? "" : "&").append("wait=").append(wait.query());
    }
    if (values.chance(5)) {
      query.append(query.isEmpty() ? "" : "&").append(values.pick(List.of("x=1", "after", "=")));
    }
    Duration mayWait =
        mayBeAuthorized && wait.valid().isPresent() ? wait.valid().get() : Duration.ZERO;
    OptionalLong validAfter = after.valid().map(OptionalLong::of).orElse(OptionalLong.empty());
    return new Query(
        query.isEmpty() ? "" : "?" + query,
        new Aim.GrantPoll(session, mayWait, validAfter),
        after.valid().isEmpty() || wait.valid().isEmpty());
  }

  /** The query of a poll that waits a second for the next ending of {@code session}. */
  String waiting(String session) {
    return "?after=" + nextSeen.getOrDefault(session, 0L) + "&wait=PT1S";
  }

  /** Remembers the {@code next} a poll of {@code session} answered, the after of a poll to come. */
  void answered(String session, long next) {
    nextSeen.put(session, next);
  }

  private Value<Long> after(String session) {
    long seen = nextSeen.getOrDefault(session, 0L);
    int kind = values.random().nextInt(100);
    if (kind < 15) {
      return new Value<>("", Optional.of(0L)); // absent: 0
    }
    if (kind < 60) {
      return after(seen);
    }
    if (kind < 70) {
      return after(values.chance(50) ? seen + 1 : Math.max(0, seen - 1));
    }
    if (kind < 78) {
      return after(values.pick(List.of(0L, 1L, Long.MAX_VALUE)));
    }
    if (kind < 80) {
      return new Value<>("%2B" + seen, Optional.of(seen)); // "+N" is an integer to parseLong
    }
    return new Value<>(values.pick(BAD_AFTERS), Optional.empty());
  }

  private Value<Duration> wait(boolean mayBeAuthorized) {
    int kind = values.random().nextInt(100);
    if (kind < 75) {
      return values.pick(SHORT_WAITS);
    }
    if (kind < 85 && !mayBeAuthorized) {
      return values.pick(LONG_WAITS);
    }
    return new Value<>(values.pick(BAD_WAITS), Optional.empty());
  }

  private static Value<Long> after(long value) {
    return new Value<>(Long.toString(value), Optional.of(value));
  }

  private static Value<Duration> wait(String query, long millis) {
    return new Value<>(query, Optional.of(Duration.ofMillis(millis)));
  }
}
