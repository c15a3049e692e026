package dev.lockstep.it;

import static dev.lockstep.it.BatchTests.op;
import static dev.lockstep.it.support.Problems.assertProblem;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.GrantPolls;
import dev.lockstep.it.support.TestSession;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/sessions/{id}/grants}: the endings of batch-queued waits, as a long poll. */
abstract class GrantChannelTests {
  private final Api api = Api.ofServerUnderTest();
  private final String prefix = "channel/" + UUID.randomUUID() + "/";

  @Test
  void channel_deliversTheEndingsInOrder_andResumesAfterTheLastSeen() throws Exception {
    TestSession holder = api.openSession("PT30S");
    TestSession me = api.openSession("PT30S");
    try {
      String a = prefix + "a";
      String b = prefix + "b";
      assertEquals(200, holder.acquire(a, null).statusCode());
      assertEquals(200, holder.acquire(b, null).statusCode());
      queue(me, a, "r1");
      queue(me, b, "r2");
      JsonObject empty = poll(me, 0, "PT0S");
      assertTrue(empty.getJsonArray("endings").isEmpty());
      assertEquals(0, empty.getInt("next"));

      CompletableFuture<HttpResponse<String>> waiting = pollAsync(me, 0, "PT20S");
      assertEquals(204, holder.release(b).statusCode());
      JsonObject first = Api.json(waiting.get(20, TimeUnit.SECONDS));
      assertEquals(List.of("r2"), requestIds(first));
      assertEquals(1, first.getInt("next"));
      assertEquals(204, holder.release(a).statusCode());
      JsonObject second = poll(me, first.getInt("next"), "PT10S");

      assertEquals(List.of("r1"), requestIds(second));
      JsonObject ending = second.getJsonArray("endings").getJsonObject(0);
      assertEquals(2, ending.getInt("seq"));
      assertEquals(200, ending.getInt("status"));
      assertEquals(a, ending.getString("name"));
      assertEquals(me.id(), ending.getJsonObject("grant").getString("session"));
      assertFalse(second.getBoolean("reset"));
      assertEquals(List.of(me.id()), api.holders(a), "the grant is held whether or not polled");
      assertEquals(List.of("r2", "r1"), requestIds(poll(me, 0, "PT0S")), "all, in order");
    } finally {
      me.closeQuietly();
      holder.closeQuietly();
    }
  }

  @Test
  void channel_droppedWhileWaiting_losesNoGrant() throws Exception {
    TestSession holder = api.openSession("PT30S");
    TestSession me = api.openSession("PT30S");
    try {
      String a = prefix + "dropped";
      assertEquals(200, holder.acquire(a, null).statusCode());
      queue(me, a, "r1");
      // The client gives up on its poll after a second, long before the server's wait ends.
      CompletableFuture<HttpResponse<String>> dropped =
          api.sendAsync(
              "GET",
              "/api/v1/sessions/" + me.id() + "/grants?after=0&wait=PT20S",
              me.token(),
              null,
              Duration.ofSeconds(1));
      ExecutionException gone =
          assertThrows(ExecutionException.class, () -> dropped.get(10, TimeUnit.SECONDS));
      assertTrue(gone.getCause() instanceof HttpTimeoutException, gone.toString());

      assertEquals(204, holder.release(a).statusCode());
      await().atMost(Duration.ofSeconds(10)).until(() -> api.holders(a).equals(List.of(me.id())));

      JsonObject again = poll(me, 0, "PT10S");
      assertEquals(List.of("r1"), requestIds(again), "polled again with the same after");
      assertEquals(200, again.getJsonArray("endings").getJsonObject(0).getInt("status"));
    } finally {
      me.closeQuietly();
      holder.closeQuietly();
    }
  }

  @Test
  void batchWait_endsWithItsSession_onThePollInFlight() throws Exception {
    TestSession holder = api.openSession("PT30S");
    TestSession me = api.openSession("PT30S");
    try {
      String a = prefix + "ends";
      assertEquals(200, holder.acquire(a, null).statusCode());
      queue(me, a, "r1");
      List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        waiting.add(pollAsync(me, 0, "PT20S"));
      }
      // Then none can arrive late.
      GrantPolls.awaitAllWaiting(api, me, waiting, 0, "PT20S");

      assertEquals(204, me.close().statusCode());

      for (CompletableFuture<HttpResponse<String>> each : waiting) {
        JsonObject answer = Api.json(each.get(20, TimeUnit.SECONDS));
        JsonObject ending = answer.getJsonArray("endings").getJsonObject(0);
        assertEquals("r1", ending.getString("requestId"));
        assertEquals(409, ending.getInt("status"));
        assertEquals(
            "https://lockstep.dev/problems/conflict",
            ending.getJsonObject("problem").getString("type"));
      }
      assertTrue(api.waiters(a).isEmpty(), "the wait left the line with its session");
      assertProblem(404, pollRaw(me, 0, "PT0S"));
    } finally {
      holder.closeQuietly();
    }
  }

  @Test
  void channel_refusesBadInput_andOthersTokens() {
    TestSession me = api.openSession("PT30S");
    TestSession other = api.openSession("PT30S");
    try {
      assertProblem(400, pollRaw(me, "after=-1"));
      assertProblem(400, pollRaw(me, "after=x"));
      assertProblem(400, pollRaw(me, "wait=PT61S"));
      assertProblem(400, pollRaw(me, "wait=soon"));
      assertProblem(
          401, api.send("GET", "/api/v1/sessions/" + me.id() + "/grants?wait=PT0S", null, null));
      assertProblem(
          403,
          api.send(
              "GET", "/api/v1/sessions/" + me.id() + "/grants?wait=PT0S", other.token(), null));
      assertProblem(
          404, api.send("GET", "/api/v1/sessions/nosuch/grants?wait=PT0S", me.token(), null));
      JsonObject reset = poll(me, 7, "PT5S");
      assertTrue(reset.getBoolean("reset"), "7 is newer than anything this server counted");
      assertEquals(0, reset.getInt("next"));
    } finally {
      me.closeQuietly();
      other.closeQuietly();
    }
  }

  @Test
  void polls_waitingAtOnce_areBoundedPerSession() throws Exception {
    TestSession me = api.openSession("PT30S");
    List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        waiting.add(pollAsync(me, 0, "PT3S"));
      }
      GrantPolls.awaitAllWaiting(api, me, waiting, 0, "PT3S");
      assertProblem(429, pollRaw(me, 0, "PT0S"));
      for (CompletableFuture<HttpResponse<String>> each : waiting) {
        HttpResponse<String> answer = each.get(20, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(Api.json(answer).getJsonArray("endings").isEmpty(), "waited out empty");
      }
      assertEquals(200, pollRaw(me, 0, "PT0S").statusCode(), "their places are free again");
    } finally {
      me.closeQuietly();
    }
  }

  @Test
  void poll_waitingUnderAMillisecond_endsByItsWait() {
    TestSession me = api.openSession("PT30S");
    try {
      for (String wait : List.of("PT0.0001S", "PT0.000999S", "PT0.000000001S")) {
        String path = "/api/v1/sessions/" + me.id() + "/grants?after=0&wait=" + wait;
        // A whole-millisecond timeout of 0 is none at all to Servlet async: such a poll, found
        // by the fuzzer, was held until an ending came.
        HttpResponse<String> answer =
            assertDoesNotThrow(
                () -> api.send("GET", path, me.token(), null, Duration.ofSeconds(5)),
                "a poll of " + wait + " is answered within 5 s");

        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(Api.json(answer).getJsonArray("endings").isEmpty(), "waited out empty");
      }
      for (int i = 0; i < 4; i++) {
        assertEquals(200, pollRaw(me, 0, "PT0.0001S").statusCode(), "no place left held");
      }
    } finally {
      me.closeQuietly();
    }
  }

  // ---------------------------------------------------------------- support

  private void queue(TestSession session, String lock, String request) {
    HttpResponse<String> answer =
        api.send(
            "POST",
            "/api/v1/batch",
            session.token(),
            "{\"operations\":["
                + op("acquire", lock, "\"wait\":\"PT30S\",\"requestId\":\"" + request + "\"")
                + "]}");
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals(202, Api.json(answer).getJsonArray("results").getJsonObject(0).getInt("status"));
  }

  private JsonObject poll(TestSession session, long after, String wait) {
    HttpResponse<String> answer = pollRaw(session, after, wait);
    assertEquals(200, answer.statusCode(), answer.body());
    return Api.json(answer);
  }

  private HttpResponse<String> pollRaw(TestSession session, long after, String wait) {
    return pollRaw(session, "after=" + after + "&wait=" + wait);
  }

  private HttpResponse<String> pollRaw(TestSession session, String query) {
    return api.send(
        "GET", "/api/v1/sessions/" + session.id() + "/grants?" + query, session.token(), null);
  }

  private CompletableFuture<HttpResponse<String>> pollAsync(
      TestSession session, long after, String wait) {
    return GrantPolls.pollAsync(api, session, after, wait);
  }

  private static List<String> requestIds(JsonObject answer) {
    return answer.getJsonArray("endings").getValuesAs(JsonObject.class).stream()
        .map(e -> e.getString("requestId"))
        .toList();
  }
}
