package dev.lockstep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.support.Api;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The lock client as a deployed application uses it: {@code @Inject LockClient} configured by
 * MicroProfile Config, and {@code @Locked("demo/{0}")} around a method (see the app package,
 * deployed in the same WAR as the lock server, which its client reaches over HTTP).
 */
abstract class InjectedClientTests {
  private final Api api = Api.ofServerUnderTest();

  @Test
  void locked_withConcurrentCallers_runsThemOneAtATimeWithGrowingFencingTokens() throws Exception {
    String job = UUID.randomUUID().toString();
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try {
      List<Future<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(
            callers.submit(
                () ->
                    api.send("POST", "/api/v1/test-app/jobs/" + job + "?millis=100", null, null)));
      }
      List<Long> tokens = new ArrayList<>();
      for (Future<HttpResponse<String>> call : calls) {
        HttpResponse<String> answer = call.get(2, TimeUnit.MINUTES);
        assertEquals(200, answer.statusCode(), answer.body());
        tokens.add(Api.json(answer).getJsonNumber("fencingToken").longValue());
      }
      assertEquals(6, tokens.stream().distinct().count(), "each call held its own grant");
      assertEquals(
          1,
          Api.json(api.get("/api/v1/test-app/jobs/" + job + "/most-at-once")).getInt("mostAtOnce"),
          "never two calls inside at once");
      assertEquals(
          "free",
          Api.json(api.get("/api/v1/locks/demo/" + job)).getString("state"),
          "every call released its lock");
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void locked_whileRunning_showsTheInjectedClientsSessionAsHolder() throws Exception {
    String job = UUID.randomUUID().toString();
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Future<HttpResponse<String>> running =
          caller.submit(
              () -> api.send("POST", "/api/v1/test-app/jobs/" + job + "?millis=1500", null, null));
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  "held".equals(Api.json(api.get("/api/v1/locks/demo/" + job)).getString("state")));
      var holder =
          Api.json(api.get("/api/v1/locks/demo/" + job)).getJsonArray("holders").getJsonObject(0);
      assertTrue(holder.getString("owner").contains(":"), "owner is host:pid:thread");
      // The injected client's cache sees its own hold through the event stream.
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  Api.json(api.get("/api/v1/test-app/client?lock=demo/" + job)).getBoolean("held"));
      assertEquals(200, running.get(1, TimeUnit.MINUTES).statusCode());
      assertEquals(
          "LIVE",
          Api.json(api.get("/api/v1/test-app/client?lock=demo/" + job)).getString("session"));
    } finally {
      caller.shutdownNow();
    }
  }
}
