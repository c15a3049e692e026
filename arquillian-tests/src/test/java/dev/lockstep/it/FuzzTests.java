package dev.lockstep.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.fuzz.FuzzRequest;
import dev.lockstep.it.fuzz.FuzzSender;
import dev.lockstep.it.fuzz.FuzzTargets;
import dev.lockstep.it.fuzz.Reply;
import dev.lockstep.it.fuzz.RequestFuzzer;
import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.OpenedSessions;
import dev.lockstep.it.support.TestSession;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * {@code -Dit.fuzz.seed=N}) to every endpoint, judged by rules that hold for any input: never a
 * 5xx; every 4xx a problem document (application/problem+json with type, title and status); never a
 * 2xx for what the contract forbids (an invalid lock name, a call without a token that acts for its
 * session); and afterwards the locks of a session the fuzzer has no token for are exactly as they
 * were, and that session still works.
 */
abstract class FuzzTests {
  private static final int REQUESTS = 3_200;
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
    int sent = 0;
    long started = System.nanoTime();
    for (; sent < REQUESTS; sent++) {
      FuzzRequest request = fuzzer.next();
      Reply reply = sender.send(request);
      judge(request, reply).ifPresent(failures::add);
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
            + seed);

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

  /** The broken rule, if any; never throws, so one run reports every failure. */
  private static Optional<String> judge(FuzzRequest request, Reply reply) {
    int status = reply.status();
    String what = status + " " + shorten(reply.body()) + " <- " + request.describe();
    if (status >= 500) {
      return Optional.of("server error: " + what);
    }
    if (request.mustNotSucceed() && status >= 200 && status < 300) {
      return Optional.of("succeeded against the contract: " + what);
    }
    // The container's answer to a malformed escape is an empty 200 (README); the app's never is.
    // JAX-RS answers OPTIONS itself, without a body.
    if ((status == 200 || status == 201)
        && !request.isEventStream()
        && reply.body().isBlank()
        && !request.method().equals("OPTIONS")) {
      return Optional.of("success without a body: " + what);
    }
    if (status >= 400) {
      return problemDefect(reply).map(defect -> defect + ": " + what);
    }
    return Optional.empty();
  }

  private static Optional<String> problemDefect(Reply reply) {
    if (!reply.contentType().orElse("").startsWith("application/problem+json")) {
      return Optional.of("not application/problem+json but " + reply.contentType());
    }
    JsonObject json;
    try (var reader = Json.createReader(new StringReader(reply.body()))) {
      json = reader.readObject();
    } catch (RuntimeException e) {
      return Optional.of("problem body is not a JSON object");
    }
    boolean ok =
        json.get("type") instanceof JsonString
            && json.get("title") instanceof JsonString
            && json.get("status") instanceof JsonNumber n
            && n.intValue() == reply.status();
    return ok ? Optional.empty() : Optional.of("problem without type, title and the status");
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

  private static String shorten(String s) {
    String flat = s == null ? "" : s.replaceAll("\\s+", " ");
    return flat.length() > 160 ? flat.substring(0, 160) + "..." : flat;
  }
}
