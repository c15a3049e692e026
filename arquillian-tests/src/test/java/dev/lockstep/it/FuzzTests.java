package dev.lockstep.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.fuzz.FuzzJudge;
import dev.lockstep.it.fuzz.FuzzRequest;
import dev.lockstep.it.fuzz.FuzzSender;
import dev.lockstep.it.fuzz.FuzzTally;
import dev.lockstep.it.fuzz.FuzzTargets;
import dev.lockstep.it.fuzz.Reply;
import dev.lockstep.it.fuzz.RequestFuzzer;
import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.OpenedSessions;
import dev.lockstep.it.support.TestSession;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Thousands of generated requests ({@code fuzz.RequestFuzzer}, from a printed seed; replay with
 * {@code -Dit.fuzz.seed=N}) to every endpoint, batches and grant polls included, judged by rules
 * that hold for any input ({@code fuzz.FuzzJudge}): never a 5xx, neither as an answer nor inside a
 * batch's result; an answer at all, a grant poll's by the end of its wait; every 4xx a problem
 * document (application/problem+json with type, title and status); never a 2xx for what the
 * contract forbids (an invalid lock name, a call without a token that acts for its session, a batch
 * over its limits or naming two sessions); a batch's and a poll's answer shaped as the README says;
 * and afterwards the locks of a session the fuzzer has no token for (which its single calls and
 * batches aim at with every other token) are exactly as they were, and that session still works.
 */
abstract class FuzzTests {
  /**
   * A fifth go to the batch and the grant channel: the single calls get about 2 900, and the run
   * takes a few seconds more than their 3 200 alone did.
   */
  private static final int REQUESTS = 3_600;

  private static final Pattern WATCHERS = Pattern.compile("(?m)^lockstep_watchers\\S* (\\S+)$");

  private final Api api = Api.ofServerUnderTest();
  private final String prefix = "fuzz/" + UUID.randomUUID() + "/";
  @RegisterExtension final OpenedSessions sessions = new OpenedSessions(api);
  private TestSession known;

  @BeforeEach
  void holdKnownLocks() {
    known = open();
    for (String lock : List.of("known/a", "known/b/c", "known/d")) {
      HttpResponse<String> granted =
          known.acquire(prefix + lock, "{\"mode\":\"exclusive\",\"owner\":\"fuzz-known\"}");
      assertEquals(200, granted.statusCode(), granted.body());
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void generatedRequests_neverFailTheServer_answerProblems_andLeaveOthersLocksAlone() {
    long seed = Long.getLong("it.fuzz.seed", System.nanoTime());
    System.out.println("FUZZ seed=" + seed + " (replay with -Dit.fuzz.seed=" + seed + ")");
    List<String> knownLocks = List.of(prefix + "known/a", prefix + "known/b/c", prefix + "known/d");
    List<JsonValue> before = views(knownLocks);
    TestSession fuzz1 = open();
    TestSession fuzz2 = open();
    double watchersBefore = watchers();
    RequestFuzzer fuzzer =
        new RequestFuzzer(
            new Random(seed),
            new FuzzTargets(
                prefix,
                knownLocks,
                known.id(),
                known.token(),
                List.of(fuzz1.id(), fuzz2.id()),
                List.of(fuzz1.token(), fuzz2.token())));
    FuzzSender sender = new FuzzSender(api);

    List<String> failures = new ArrayList<>();
    FuzzTally tally = new FuzzTally();
    int sent = 0;
    long started = System.nanoTime();
    for (; sent < REQUESTS; sent++) {
      FuzzRequest request = fuzzer.next();
      long sending = System.nanoTime();
      Reply reply = sender.send(request);
      tally.count(request, reply, Duration.ofNanos(System.nanoTime() - sending));
      FuzzJudge.judge(request, reply).ifPresent(failures::add);
      fuzzer.heard(request, reply);
      remember(reply);
    }
    failures.stream().limit(60).forEach(f -> System.out.println("FUZZ failure: " + f));
    System.out.println(
        "FUZZ requests="
            + sent
            + " failures="
            + failures.size()
            + " seconds="
            + Duration.ofNanos(System.nanoTime() - started).toSeconds()
            + " seed="
            + seed
            + " "
            + tally);
    // A batch's acquire of a known lock that may wait is queued (202) and leaves the line at its
    // wait (at most 0.1 s) by the expiry timer: the waiters come back to what they were, or the
    // check below fails.
    await()
        .atMost(10, SECONDS)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertEquals(
                    waiters(before), waiters(views(knownLocks)), "the known locks' waiters"));

    assertAll(
        "fuzz with seed " + seed,
        () ->
            assertEquals(
                List.of(),
                failures.stream().limit(15).toList(),
                failures.size() + " answers broke a rule, the first 15 shown"),
        () ->
            assertEquals(
                before,
                views(knownLocks),
                "the known session's locks (holders, tokens, modes, waiters)"),
        () -> assertEquals(200, known.keepAlive().statusCode(), "the known session lives"),
        // Else the rules of their answers were never put to the test.
        () -> assertTrue(tally.answered("batch", 200) > 0, "batches reached their operations"),
        () -> assertTrue(tally.answered("grants", 200) > 0, "grant polls were answered"),
        () -> assertEquals(knownLocks, known.locks().stream().sorted().toList()),
        () ->
            knownLocks.forEach(
                lock ->
                    assertTrue(
                        fencingValid(lock, before),
                        "the known grant of " + lock + " is still the lock's current grant")));

    sessions.closeAllBut(known);
    assertEquals(
        before,
        heldUnder(prefix),
        "with the fuzzer's sessions closed, only the known session's locks are held");
    // Streams the fuzzer opened and closed must not linger and crowd out other tests' watchers.
    await()
        .atMost(15, SECONDS)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> watchers() <= watchersBefore);
  }

  private static List<JsonValue> waiters(List<JsonValue> views) {
    return views.stream().map(v -> v.asJsonObject().get("waiters")).toList();
  }

  /** Sessions the fuzzer opened by valid requests are closed after the run like its own. */
  private void remember(Reply reply) {
    if (reply.status() != 201) {
      return;
    }
    JsonObject created = Json.createReader(new StringReader(reply.body())).readObject();
    sessions.track(new TestSession(api, created.getString("id"), created.getString("token")));
  }

  private TestSession open() {
    return sessions.open("PT120S");
  }

  /**
   * The views of exactly these locks, from the list call (the fuzzer may hold others whose names
   * extend theirs).
   */
  private List<JsonValue> views(List<String> locks) {
    return heldUnder(prefix + "known/").stream()
        .filter(v -> locks.contains(v.asJsonObject().getString("name")))
        .toList();
  }

  /** The lock views under the prefix without the revision, which moves with every change. */
  private List<JsonValue> heldUnder(String under) {
    HttpResponse<String> list = api.get("/api/v1/locks?prefix=" + under);
    assertEquals(200, list.statusCode(), list.body());
    return Api.json(list).getJsonArray("locks").getValuesAs(JsonObject.class).stream()
        .map(view -> (JsonValue) Json.createObjectBuilder(view).remove("revision").build())
        .toList();
  }

  private boolean fencingValid(String lock, List<JsonValue> views) {
    long token =
        views.stream()
            .map(JsonValue::asJsonObject)
            .filter(v -> v.getString("name").equals(lock))
            .map(v -> v.getJsonArray("holders").getJsonObject(0).getJsonNumber("fencingToken"))
            .findFirst()
            .orElseThrow()
            .longValueExact();
    return Api.json(api.get("/api/v1/locks/" + lock + "/fencing/" + token)).getBoolean("valid");
  }

  private double watchers() {
    String metrics = api.get("/metrics?scope=application").body();
    Matcher m = WATCHERS.matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
