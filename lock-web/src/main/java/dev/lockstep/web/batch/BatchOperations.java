package dev.lockstep.web.batch;

import dev.lockstep.api.LockName;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.BatchOperation;
import dev.lockstep.lock.table.BatchOperation.Cancel;
import dev.lockstep.lock.table.BatchOperation.KeepAlive;
import dev.lockstep.lock.table.BatchOperation.Release;
import dev.lockstep.lock.table.BatchOperation.Unreadable;
import dev.lockstep.lock.table.BatchOperation.Withdraw;
import dev.lockstep.lock.table.BatchRequest;
import dev.lockstep.lock.table.LockTableException;
import dev.lockstep.web.request.JsonBody;
import dev.lockstep.web.request.Names;
import dev.lockstep.web.resource.LockResource;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A batch body read into operations: the fields of each are those of its single call, read by the
 * same code, plus {@code op} and an optional {@code session}. An operation that cannot be read is
 * that operation's problem ({@link Unreadable}); only a body that is not a batch at all is refused
 * whole.
 */
public final class BatchOperations {
  private static final Set<String> NAMED = Set.of("op", "session", "name");
  private static final Set<String> ACQUIRE = with(LockResource.ACQUIRE_FIELDS, NAMED);
  private static final Set<String> CANCEL = with(Set.of("requestId"), NAMED);
  private static final Set<String> KEEPALIVE = Set.of("op", "session");

  private BatchOperations() {}

  /** Thrown: {@code bad-request} when there is no {@code operations} array, or too few or many. */
  public static BatchRequest read(JsonBody body) {
    List<JsonValue> values =
        body.array("operations")
            .orElseThrow(
                () ->
                    new LockTableException(
                        ProblemType.BAD_REQUEST, "a batch is {\"operations\":[...]}"));
    List<BatchOperation> operations = new ArrayList<>(values.size());
    Set<String> sessions = new HashSet<>();
    for (JsonValue value : values) {
      operations.add(operation(value, sessions));
    }
    return new BatchRequest(operations, sessions);
  }

  private static BatchOperation operation(JsonValue value, Set<String> sessions) {
    try {
      // The session first: an operation of another session refuses the batch even when it is
      // unreadable otherwise.
      if (value instanceof JsonObject object && object.get("session") instanceof JsonString s) {
        sessions.add(s.getString());
      }
      if (!(value instanceof JsonObject object) || !(object.get("op") instanceof JsonString o)) {
        throw bad("an operation is a JSON object with an \"op\" string");
      }
      String op = o.getString();
      return switch (op) {
        case "acquire" -> {
          JsonBody fields = JsonBody.of("an operation", value, ACQUIRE);
          yield LockResource.acquireOf(name(fields), fields);
        }
        case "release" -> new Release(name(JsonBody.of("an operation", value, NAMED)));
        case "withdraw" -> new Withdraw(name(JsonBody.of("an operation", value, NAMED)));
        case "cancel" -> {
          JsonBody fields = JsonBody.of("an operation", value, CANCEL);
          yield new Cancel(
              name(fields),
              fields.text("requestId").orElseThrow(() -> bad("a cancel needs a \"requestId\"")));
        }
        case "keepalive" -> {
          JsonBody.of("an operation", value, KEEPALIVE).text("session");
          yield new KeepAlive();
        }
        default ->
            throw bad(
                "unknown op; an op is acquire, release, withdraw, cancel or keepalive, not \""
                    + (op.length() <= 32 ? op : op.substring(0, 32) + "...")
                    + "\"");
      };
    } catch (LockTableException e) {
      return new Unreadable(e);
    }
  }

  private static LockName name(JsonBody fields) {
    fields.text("session"); // a session that is not a string is this operation's 400
    return Names.lock(fields.text("name").orElseThrow(() -> bad("an operation needs a \"name\"")));
  }

  private static LockTableException bad(String detail) {
    return new LockTableException(ProblemType.BAD_REQUEST, detail);
  }

  private static Set<String> with(Set<String> a, Set<String> b) {
    Set<String> both = new LinkedHashSet<>(a);
    both.addAll(b);
    return Set.copyOf(both);
  }
}
