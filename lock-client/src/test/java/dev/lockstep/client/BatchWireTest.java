package dev.lockstep.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The batch call's and the grant channel's JSON, as the lead's wire spec writes it, bound here. */
class BatchWireTest {
  private static final String GRANT =
      "{\"name\":\"jobs/a\",\"mode\":\"exclusive\",\"session\":\"s1\",\"owner\":\"h:1:t\","
          + "\"fencingToken\":7,\"acquiredAt\":\"2026-12-01T10:00:00Z\"}";
  private static final String CONFLICT =
      "{\"type\":\"https://lockstep.dev/problems/conflict\",\"title\":\"Conflict\",\"status\":409,"
          + "\"detail\":\"held\",\"lock\":\"jobs/c\",\"holders\":[{\"session\":\"s2\",\"owner\":\"o\","
          + "\"fencingToken\":3,\"since\":\"2026-12-01T10:00:00Z\"}],\"waiters\":[]}";

  @Test
  void batchAnswer_bindsEachResultWithItsBody() {
    String json =
        "{\"results\":["
            + "{\"status\":200,\"grant\":"
            + GRANT
            + "},"
            + "{\"status\":204},"
            + "{\"status\":409,\"problem\":"
            + CONFLICT
            + "},"
            + "{\"status\":202,\"queued\":{\"name\":\"jobs/e\",\"requestId\":\"r5\",\"position\":2}},"
            + "{\"status\":200,\"session\":{\"id\":\"s1\",\"expiresAt\":\"2026-12-01T10:00:30Z\"}}"
            + "],\"revision\":1234}";

    List<BatchWire.Result> results = BatchWire.results(json);

    assertEquals(List.of(200, 204, 409, 202, 200), results.stream().map(r -> r.status()).toList());
    assertEquals(7, results.get(0).grant().fencingToken());
    assertNull(results.get(1).grant());
    RuntimeException refusal = Refusals.of(409, Optional.of(results.get(2).problem()), "http://x");
    LockNotGrantedException notGranted = assertInstanceOf(LockNotGrantedException.class, refusal);
    assertEquals("s2", notGranted.view().orElseThrow().holders().get(0).session());
    assertEquals(new BatchWire.Queued("jobs/e", "r5", 2), results.get(3).queued());
    assertEquals("s1", results.get(4).session().id());
  }

  @Test
  void endings_bindInOrder_withNextAndReset() {
    String json =
        "{\"endings\":["
            + "{\"seq\":7,\"name\":\"jobs/a\",\"requestId\":\"r5\",\"status\":200,\"grant\":"
            + GRANT
            + "},"
            + "{\"seq\":8,\"name\":\"jobs/c\",\"requestId\":\"r6\",\"status\":409,\"problem\":"
            + CONFLICT
            + "}],\"next\":8,\"reset\":true}";

    BatchWire.Endings endings = BatchWire.endings(json);

    assertEquals(List.of(7L, 8L), endings.endings().stream().map(e -> e.seq()).toList());
    assertEquals("r5", endings.endings().get(0).requestId());
    assertEquals(7, endings.endings().get(0).result().grant().fencingToken());
    assertEquals(409, endings.endings().get(1).result().status());
    assertEquals(8, endings.next());
    assertTrue(endings.reset());
  }

  @Test
  void operations_writeTheFieldsOfTheirSingleCall() {
    Map<String, Object> acquire =
        Operation.acquire("t", "jobs/a", LockMode.SHARED, Duration.ofSeconds(5), "h:1:t", "r1")
            .toJson();
    assertEquals(
        Map.of(
            "op", "acquire",
            "name", "jobs/a",
            "mode", "shared",
            "wait", "PT5S",
            "owner", "h:1:t",
            "requestId", "r1"),
        acquire);
    assertEquals(
        Map.of("op", "cancel", "name", "jobs/d", "requestId", "r0"),
        Operation.cancel("t", "jobs/d", "r0").toJson());
    assertEquals(
        Map.of("op", "withdraw", "name", "jobs/c"), Operation.withdraw("t", "jobs/c").toJson());
    assertEquals(Map.of("op", "keepalive"), Operation.keepAlive("t").toJson());
  }
}
