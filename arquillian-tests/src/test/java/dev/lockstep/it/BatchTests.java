package dev.lockstep.it;

import static dev.lockstep.it.support.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.TestSession;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/batch} through HTTP: order, per-operation problems, one commit, limits. */
abstract class BatchTests {
  private final Api api = Api.ofServerUnderTest();
  private final String prefix = "batch/" + UUID.randomUUID() + "/";

  @Test
  void batch_answersEachOperationInOrder_asItsSingleCallWould() {
    TestSession me = api.openSession("PT30S");
    try {
      String a = prefix + "a";
      JsonArray results =
          results(
              batch(
                  me,
                  op("acquire", a, "\"mode\":\"exclusive\",\"owner\":\"h:1:t\""),
                  op("acquire", a, "\"mode\":\"exclusive\""),
                  op("release", prefix + "b", null),
                  op("acquire", prefix + "c", "\"mode\":\"both\""),
                  "{\"op\":\"fly\"}",
                  op("release", a, "\"colour\":\"red\""),
                  "{\"op\":\"keepalive\"}",
                  op("release", a, null)));

      assertEquals(List.of(200, 200, 409, 400, 400, 400, 200, 204), statuses(results));
      JsonObject grant = results.getJsonObject(0).getJsonObject("grant");
      assertEquals(me.id(), grant.getString("session"));
      assertEquals("h:1:t", grant.getString("owner"));
      assertEquals(grant, results.getJsonObject(1).getJsonObject("grant"), "the same grant back");
      assertProblemDocument(results.getJsonObject(2), "not-held");
      assertEquals(
          prefix + "b", results.getJsonObject(2).getJsonObject("problem").getString("lock"));
      assertProblemDocument(results.getJsonObject(3), "bad-request");
      assertProblemDocument(results.getJsonObject(4), "bad-request");
      assertProblemDocument(results.getJsonObject(5), "bad-request");
      assertEquals(me.id(), results.getJsonObject(6).getJsonObject("session").getString("id"));
      assertFalse(results.getJsonObject(7).containsKey("problem"));
      assertTrue(api.holders(a).isEmpty(), "the last release applied");
    } finally {
      me.closeQuietly();
    }
  }

  @Test
  void batchGrant_isTheSinglePutsBody() {
    TestSession me = api.openSession("PT30S");
    try {
      String a = prefix + "same";
      JsonObject fromBatch =
          results(batch(me, op("acquire", a, "\"owner\":\"o\""))).getJsonObject(0);
      HttpResponse<String> single = me.acquire(a, "{\"owner\":\"o\"}");

      assertEquals(200, single.statusCode());
      assertEquals(Api.json(single), fromBatch.getJsonObject("grant"));
    } finally {
      me.closeQuietly();
    }
  }

  @Test
  void batch_ofManyOperations_isStoredInOneCommit() {
    TestSession me = api.openSession("PT30S");
    try {
      List<String> operations = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        operations.add(op("acquire", prefix + "many/" + i, null));
        operations.add(op("release", prefix + "many/" + i, null));
      }
      double commits = metric("lockstep_store_commits_total");
      double batches = metric("lockstep_batches_total");
      double ops = metric("lockstep_batch_operations_total");

      JsonArray results = results(batch(me, operations.toArray(String[]::new)));

      assertEquals(64, results.size());
      assertTrue(statuses(results).stream().allMatch(s -> s == 200 || s == 204));
      double stored = metric("lockstep_store_commits_total") - commits;
      // One for the batch; at most one more, should an expiry of another test's session land in
      // the window. Applied one by one, the 64 operations would be 64 commits.
      assertTrue(stored >= 1 && stored <= 2, "commits for a batch of 64: " + stored);
      assertEquals(batches + 1, metric("lockstep_batches_total"));
      assertEquals(ops + 64, metric("lockstep_batch_operations_total"));
    } finally {
      me.closeQuietly();
    }
  }

  @Test
  void batch_namingAnotherSession_isRefusedWhole_andNothingApplied() {
    TestSession me = api.openSession("PT30S");
    TestSession other = api.openSession("PT30S");
    try {
      String a = prefix + "mixed";
      HttpResponse<String> answer =
          batch(
              me,
              op("acquire", a, "\"session\":\"" + me.id() + "\""),
              op("acquire", prefix + "mixed2", "\"session\":\"" + other.id() + "\""));

      assertProblem(400, answer);
      assertTrue(api.holders(a).isEmpty(), "nothing of the batch was applied");
    } finally {
      me.closeQuietly();
      other.closeQuietly();
    }
  }

  @Test
  void batch_outsideItsLimits_isRefusedWhole() {
    TestSession me = api.openSession("PT30S");
    try {
      List<String> many = new ArrayList<>();
      for (int i = 0; i < 65; i++) {
        many.add("{\"op\":\"keepalive\"}");
      }
      assertProblem(400, batch(me, many.toArray(String[]::new)));
      assertProblem(400, batch(me));
      assertProblem(400, send(me.token(), "[]"));
      assertProblem(400, send(me.token(), "{\"operations\":{}}"));
      assertProblem(400, send(me.token(), "{\"ops\":[]}"));
      String big =
          "{\"operations\":[{\"op\":\"keepalive\",\"session\":\"" + "x".repeat(70_000) + "\"}]}";
      assertProblem(413, send(me.token(), big));
      assertProblem(401, send(null, "{\"operations\":[{\"op\":\"keepalive\"}]}"));
      assertProblem(401, send("nope.nope", "{\"operations\":[{\"op\":\"keepalive\"}]}"));
      HttpResponse<String> text =
          api.exchange(
              api.request("/api/v1/batch")
                  .header("Authorization", "Bearer " + me.token())
                  .header("Content-Type", "text/plain")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"operations\":[]}"))
                  .build());
      assertProblem(415, text);
    } finally {
      me.closeQuietly();
    }
  }

  @Test
  void batchAcquire_thatMustWait_isQueuedAtOnce_andStaysInLine() {
    TestSession holder = api.openSession("PT30S");
    TestSession me = api.openSession("PT30S");
    try {
      String a = prefix + "queued";
      assertEquals(200, holder.acquire(a, null).statusCode());

      JsonArray results =
          results(
              batch(
                  me,
                  op("acquire", a, "\"wait\":\"PT20S\",\"requestId\":\"r1\""),
                  op("acquire", prefix + "q2", "\"wait\":\"PT20S\"")));

      JsonObject queued = results.getJsonObject(0);
      assertEquals(202, queued.getInt("status"));
      assertEquals("r1", queued.getJsonObject("queued").getString("requestId"));
      assertEquals(a, queued.getJsonObject("queued").getString("name"));
      assertEquals(1, queued.getJsonObject("queued").getInt("position"));
      assertProblemDocument(results.getJsonObject(1), "bad-request");
      assertEquals(List.of(me.id()), api.waiters(a), "waits with no request held open");
    } finally {
      me.closeQuietly();
      holder.closeQuietly();
    }
  }

  // ---------------------------------------------------------------- support

  static String op(String op, String name, String more) {
    return "{\"op\":\""
        + op
        + "\",\"name\":\""
        + name
        + "\""
        + (more == null ? "" : "," + more)
        + "}";
  }

  HttpResponse<String> batch(TestSession session, String... operations) {
    return send(session.token(), "{\"operations\":[" + String.join(",", operations) + "]}");
  }

  HttpResponse<String> send(String token, String body) {
    return api.send("POST", "/api/v1/batch", token, body);
  }

  static JsonArray results(HttpResponse<String> answer) {
    assertEquals(200, answer.statusCode(), answer.body());
    JsonObject json = Api.json(answer);
    assertTrue(json.getJsonNumber("revision").longValue() > 0);
    return json.getJsonArray("results");
  }

  static List<Integer> statuses(JsonArray results) {
    return results.getValuesAs(JsonObject.class).stream().map(r -> r.getInt("status")).toList();
  }

  static void assertProblemDocument(JsonObject result, String type) {
    JsonObject problem = result.getJsonObject("problem");
    assertEquals("https://lockstep.dev/problems/" + type, problem.getString("type"));
    assertEquals(result.getInt("status"), problem.getInt("status"));
    assertFalse(problem.getString("detail").isBlank());
  }

  private double metric(String name) {
    String text = api.get("/metrics").body();
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.E+-]+)$").matcher(text);
    assertTrue(m.find(), name + " is not in /metrics");
    return Double.parseDouble(m.group(2));
  }
}
