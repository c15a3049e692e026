package dev.lockstep.web.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.HolderView;
import dev.lockstep.api.LockView;
import dev.lockstep.api.Problem;
import dev.lockstep.api.ProblemType;
import dev.lockstep.api.WaiterView;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hand-written JSON is, field for field, what JSON-B (Yasson, as in Payara) wrote before. */
class ViewJsonTest {
  private static final Jsonb JSONB = JsonbBuilder.create();
  private static final Instant AT = Instant.parse("2026-12-01T11:39:01.866Z");

  private static final LockView HELD =
      new LockView(
          "jobs/nightly",
          LockView.HELD,
          "exclusive",
          List.of(new HolderView("s1", "host:42:main", 7, AT)),
          List.of(new WaiterView("s2", "shared", AT.plusMillis(5))),
          41,
          AT.plusSeconds(2));

  @Test
  void grant_isWhatJsonbWrote() {
    assertSameAsJsonb(new GrantView("jobs/a", "exclusive", "s1", "host:1:main", 7, AT));
  }

  @Test
  void grant_withoutOwner_omitsIt() {
    GrantView grant = new GrantView("jobs/a", "shared", "s1", null, 9, AT);

    assertSameAsJsonb(grant);
    assertFalse(ViewJson.toJson(grant).contains("owner"));
  }

  @Test
  void lock_heldWithWaitersAndDelay_isWhatJsonbWrote() {
    assertSameAsJsonb(HELD);
  }

  @Test
  void lock_free_isWhatJsonbWrote() {
    assertSameAsJsonb(new LockView("a", LockView.FREE, null, List.of(), List.of(), 3, null));
  }

  @Test
  void problems_ofEveryShape_areWhatJsonbWrote() {
    assertSameAsJsonb(Problem.of(ProblemType.BAD_REQUEST, "quote \" and \\ and \u0001 and é"));
    assertSameAsJsonb(Problem.conflict(ProblemType.CONFLICT, "held", HELD));
    assertSameAsJsonb(Problem.deadlock("cycle", HELD, List.of("s1", "a", "s2", "b")));
    assertSameAsJsonb(Problem.of(ProblemType.INTERNAL, "boom").withErrorId("id-1"));
    assertSameAsJsonb(Problem.notLeader("standby", Optional.of("http://10.0.0.2:8080")));
  }

  @Test
  void write_isUtf8OfTheSameText() {
    Problem problem = Problem.of(ProblemType.BAD_REQUEST, "é ü ∑");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    ViewJson.write(problem, out);

    assertEquals(ViewJson.toJson(problem), out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void otherTypes_areNotItsToWrite() {
    assertFalse(ViewJson.writes(HolderView.class));
    assertThrows(IllegalArgumentException.class, () -> ViewJson.toJson("text"));
  }

  private static void assertSameAsJsonb(Object value) {
    assertEquals(parse(JSONB.toJson(value)), parse(ViewJson.toJson(value)), value.toString());
  }

  private static JsonObject parse(String json) {
    try (var reader = Json.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }
}
