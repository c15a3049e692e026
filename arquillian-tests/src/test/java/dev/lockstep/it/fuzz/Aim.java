package dev.lockstep.it.fuzz;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** What a generated request is aimed at, with what the judge needs to know to judge its answer. */
public sealed interface Aim {

  /** The kind of endpoint, for the counts the test prints. */
  String kind();

  /** A single call, judged by the rules every answer keeps. */
  record Call(String kind) implements Aim {}

  /**
   * {@code POST /api/v1/batch}.
   *
   * @param operations what each operation sent may answer, in order; empty when the body is not one
   *     whose operations can be counted (a mangled body, a duplicate {@code operations} field)
   */
  record Batch(Optional<List<OperationRule>> operations) implements Aim {
    public Batch {
      operations = operations.map(List::copyOf);
    }

    @Override
    public String kind() {
      return "batch";
    }
  }

  /**
   * {@code GET /api/v1/sessions/{id}/grants}.
   *
   * @param session the id in its path, as sent
   * @param mayWait how long the server may hold it: its {@code wait} when the poll may be
   *     authorized and the wait is valid, else zero (refused at once)
   * @param after the {@code after} it sent, when that is a valid one
   */
  record GrantPoll(String session, Duration mayWait, OptionalLong after) implements Aim {
    @Override
    public String kind() {
      return "grants";
    }
  }

  /**
   * A valid poll whose connection is closed as soon as it is written: it keeps its place among the
   * session's waiting polls until its wait runs out, so that polls after it meet the limit of 4.
   * There is no answer to judge.
   */
  record AbandonedPoll() implements Aim {
    @Override
    public String kind() {
      return "grants-abandoned";
    }
  }

  /**
   * What one operation of a batch may answer, whatever else it sent.
   *
   * @param op its {@code op} when the operation is an object with one known {@code op}, else {@code
   *     "*"}: an unknown or missing op must be a problem ({@code mustNotSucceed})
   * @param mustNotSucceed a 2xx is against the contract (an invalid name, a release of a lock the
   *     fuzzer cannot hold, an unknown op or field)
   * @param mayBeGranted false for an acquire of a lock the known session holds exclusively
   */
  record OperationRule(String op, boolean mustNotSucceed, boolean mayBeGranted) {}
}
