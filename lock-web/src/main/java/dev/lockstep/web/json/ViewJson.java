package dev.lockstep.web.json;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.HolderView;
import dev.lockstep.api.LockView;
import dev.lockstep.api.Problem;
import dev.lockstep.api.WaiterView;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.OutputStream;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the answers on the lock path (a grant, a lock, a problem), written field by field
 * with one JSON-P generator factory, so that the hot path binds no type by reflection (JSON-B looks
 * each record's properties up and goes through its serializer chain: 0.8 % of the request threads'
 * samples, README "What profiling changed"). The output is what JSON-B wrote: an absent (null)
 * field is omitted, an {@link Instant} is ISO-8601 as {@link Instant#toString}; only the order of
 * the fields differs (the record's order, not alphabetical).
 */
public final class ViewJson {
  private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

  private ViewJson() {}

  /** Whether {@code type} is one this class writes. */
  public static boolean writes(Class<?> type) {
    return type == GrantView.class || type == LockView.class || type == Problem.class;
  }

  /** Writes {@code value}, one of the types {@link #writes} names, as UTF-8 to {@code out}. */
  public static void write(Object value, OutputStream out) {
    try (JsonGenerator json = GENERATORS.createGenerator(out)) {
      write(value, json);
    }
  }

  /** {@code value}, one of the types {@link #writes} names, as a JSON text. */
  public static String toJson(Object value) {
    StringWriter text = new StringWriter(256);
    try (JsonGenerator json = GENERATORS.createGenerator(text)) {
      write(value, json);
    }
    return text.toString();
  }

  private static void write(Object value, JsonGenerator json) {
    if (value instanceof GrantView grant) {
      grant(grant, json);
    } else if (value instanceof LockView lock) {
      lock(lock, json);
    } else if (value instanceof Problem problem) {
      problem(problem, json);
    } else {
      throw new IllegalArgumentException("not a view ViewJson writes: " + value.getClass());
    }
  }

  private static void grant(GrantView grant, JsonGenerator json) {
    json.writeStartObject();
    text(json, "name", grant.name());
    text(json, "mode", grant.mode());
    text(json, "session", grant.session());
    text(json, "owner", grant.owner());
    json.write("fencingToken", grant.fencingToken());
    instant(json, "acquiredAt", grant.acquiredAt());
    json.writeEnd();
  }

  private static void lock(LockView lock, JsonGenerator json) {
    json.writeStartObject();
    text(json, "name", lock.name());
    text(json, "state", lock.state());
    text(json, "mode", lock.mode());
    holders(json, lock.holders());
    waiters(json, lock.waiters());
    json.write("revision", lock.revision());
    instant(json, "blockedUntil", lock.blockedUntil());
    json.writeEnd();
  }

  private static void problem(Problem problem, JsonGenerator json) {
    json.writeStartObject();
    text(json, "type", problem.type());
    text(json, "title", problem.title());
    json.write("status", problem.status());
    text(json, "detail", problem.detail());
    text(json, "lock", problem.lock());
    holders(json, problem.holders());
    waiters(json, problem.waiters());
    if (problem.cycle() != null) {
      json.writeStartArray("cycle");
      problem.cycle().forEach(json::write);
      json.writeEnd();
    }
    text(json, "errorId", problem.errorId());
    text(json, "leader", problem.leader());
    json.writeEnd();
  }

  private static void holders(JsonGenerator json, List<HolderView> holders) {
    if (holders == null) {
      return;
    }
    json.writeStartArray("holders");
    for (HolderView holder : holders) {
      json.writeStartObject();
      text(json, "session", holder.session());
      text(json, "owner", holder.owner());
      json.write("fencingToken", holder.fencingToken());
      instant(json, "since", holder.since());
      json.writeEnd();
    }
    json.writeEnd();
  }

  private static void waiters(JsonGenerator json, List<WaiterView> waiters) {
    if (waiters == null) {
      return;
    }
    json.writeStartArray("waiters");
    for (WaiterView waiter : waiters) {
      json.writeStartObject();
      text(json, "session", waiter.session());
      text(json, "mode", waiter.mode());
      instant(json, "since", waiter.since());
      json.writeEnd();
    }
    json.writeEnd();
  }

  private static void text(JsonGenerator json, String field, String value) {
    if (value != null) {
      json.write(field, value);
    }
  }

  private static void instant(JsonGenerator json, String field, Instant value) {
    if (value != null) {
      json.write(field, value.toString());
    }
  }
}
