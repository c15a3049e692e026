package dev.lockstep.client;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.KeepAliveAnswer;
import dev.lockstep.api.Problem;
import java.util.List;

/** The answers of the batch call and of the grant channel, as JSON-B binds them. */
final class BatchWire {
  private BatchWire() {}

  /** {@code 202 queued}: the acquire waits, and its ending comes on the grant channel. */
  record Queued(String name, String requestId, int position) {}

  /** One operation's answer: its status and the body the single call would have answered. */
  record Result(
      int status, GrantView grant, Problem problem, Queued queued, KeepAliveAnswer session) {
    static Result of(int status) {
      return new Result(status, null, null, null, null);
    }
  }

  /** The batch call's {@code 200}: one result per operation, in order. */
  record Answer(List<Result> results, long revision) {}

  /** One wait's ending on the grant channel. */
  record Ending(
      long seq, String name, String requestId, int status, GrantView grant, Problem problem) {
    Result result() {
      return new Result(status, grant, problem, null, null);
    }
  }

  /** The grant channel's {@code 200}. */
  record Endings(List<Ending> endings, long next, boolean reset) {}
}
