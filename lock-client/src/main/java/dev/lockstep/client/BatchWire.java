package dev.lockstep.client;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.KeepAliveAnswer;
import dev.lockstep.api.Problem;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;

/**
 * The answers of the batch call and of the grant channel. Read through JSON-P, and only their parts
 * of the contract's own types (grant, problem, keep-alive) bound with JSON-B: these records stay
 * package-private, which JSON-B cannot bind.
 */
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

  /** One wait's ending on the grant channel. */
  record Ending(
      long seq, String name, String requestId, int status, GrantView grant, Problem problem) {
    Result result() {
      return new Result(status, grant, problem, null, null);
    }
  }

  /** The grant channel's {@code 200}. */
  record Endings(List<Ending> endings, long next, boolean reset) {}

  /** The batch call's {@code 200}: one result per operation, in order. */
  static List<Result> results(String json) {
    return object(json).getJsonArray("results").stream()
        .map(JsonValue::asJsonObject)
        .map(
            r ->
                new Result(
                    r.getInt("status"),
                    part(r, "grant", GrantView.class),
                    part(r, "problem", Problem.class),
                    queued(r),
                    part(r, "session", KeepAliveAnswer.class)))
        .toList();
  }

  static Endings endings(String json) {
    JsonObject answer = object(json);
    List<Ending> endings =
        answer.getJsonArray("endings").stream()
            .map(JsonValue::asJsonObject)
            .map(
                e ->
                    new Ending(
                        e.getJsonNumber("seq").longValue(),
                        e.getString("name", null),
                        e.getString("requestId", null),
                        e.getInt("status"),
                        part(e, "grant", GrantView.class),
                        part(e, "problem", Problem.class)))
            .toList();
    return new Endings(
        endings, answer.getJsonNumber("next").longValue(), answer.getBoolean("reset", false));
  }

  private static JsonObject object(String json) {
    try {
      return LockHttp.json().fromJson(json, JsonObject.class);
    } catch (RuntimeException e) {
      throw new ServerException("the lock server's answer is not what the batch call answers", e);
    }
  }

  private static Queued queued(JsonObject result) {
    JsonObject q = result.getJsonObject("queued");
    return q == null
        ? null
        : new Queued(
            q.getString("name", null), q.getString("requestId", null), q.getInt("position", 0));
  }

  private static <T> T part(JsonObject object, String field, Class<T> type) {
    JsonValue value = object.get(field);
    return value == null || value.getValueType() == JsonValue.ValueType.NULL
        ? null
        : LockHttp.json().fromJson(value.toString(), type);
  }
}
