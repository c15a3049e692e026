package dev.lockstep.it;

import static dev.lockstep.it.support.Problems.assertProblem;
import static dev.lockstep.it.support.Problems.describe;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.OpenedSessions;
import dev.lockstep.it.support.TestSession;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Sessions: open, read, keep alive and close, with the tokens each call needs. */
abstract class SessionsTests {
  private static final String SESSIONS = "/api/v1/sessions";

  /** Same machine, same clock: this only absorbs the rounding of the server's instants. */
  private static final Duration CLOCK_SLACK = Duration.ofMillis(500);

  private final Api api = Api.ofServerUnderTest();
  private final String prefix = "sessions-it/" + UUID.randomUUID() + "/";
  // Tidiness only: a session left open would expire on its own, releasing its locks.
  @RegisterExtension final OpenedSessions opened = new OpenedSessions(api);

  // ---------------------------------------------------------------- open

  @Test
  void open_withNameTtlAndLockDelay_answersCreatedWithEveryField() {
    Instant before = Instant.now();
    HttpResponse<String> answer =
        api.send(
            "POST",
            SESSIONS,
            null,
            "{\"name\":\"worker-7\",\"ttl\":\"PT20S\",\"lockDelay\":\"PT2S\"}");
    Instant after = Instant.now();

    assertEquals(201, answer.statusCode(), () -> describe(answer));
    JsonObject json = Api.json(answer);
    String id = json.getString("id");
    track(id, json.getString("token"));
    assertAll(
        () ->
            assertTrue(
                answer
                    .headers()
                    .firstValue("Content-Type")
                    .orElse("")
                    .startsWith("application/json"),
                "Content-Type"),
        () -> assertFalse(id.isBlank(), "id"),
        () -> assertFalse(json.getString("token").isBlank(), "token"),
        () -> assertEquals("worker-7", json.getString("name")),
        () -> assertEquals(20_000, json.getJsonNumber("ttlMillis").longValueExact()),
        () -> assertEquals(2_000, json.getJsonNumber("lockDelayMillis").longValueExact()),
        () ->
            assertBetween(
                before.plusSeconds(20),
                after.plusSeconds(20),
                Instant.parse(json.getString("expiresAt")),
                "expiresAt"),
        () ->
            assertTrue(
                answer
                    .headers()
                    .firstValue("Location")
                    .orElse("(none)")
                    .endsWith("/api/v1/sessions/" + id),
                "Location"));
  }

  @Test
  void open_locationHeader_namesTheNewSession() {
    HttpResponse<String> answer = api.send("POST", SESSIONS, null, "{}");
    assertEquals(201, answer.statusCode(), () -> describe(answer));
    JsonObject created = Api.json(answer);
    track(created.getString("id"), created.getString("token"));

    String location = answer.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> read =
        api.exchange(api.request(URI.create(location).getRawPath()).GET().build());

    assertEquals(200, read.statusCode(), () -> describe(read));
    assertEquals(created.getString("id"), Api.json(read).getString("id"));
  }

  /** null is a POST without any body or Content-Type; "" is an empty application/json body. */
  @ParameterizedTest(name = "body [{0}]")
  @NullSource
  @ValueSource(strings = {"", "{}"})
  void open_withoutSettings_usesTheDefaults(String body) {
    HttpResponse<String> answer = api.send("POST", SESSIONS, null, body);

    assertEquals(201, answer.statusCode(), () -> describe(answer));
    JsonObject json = Api.json(answer);
    track(json.getString("id"), json.getString("token"));
    assertEquals(10_000, json.getJsonNumber("ttlMillis").longValueExact(), "default ttl");
    assertEquals(0, json.getJsonNumber("lockDelayMillis").longValueExact(), "default lock-delay");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"ttl\":\"PT1S\"}          | 1000",
        "{\"ttl\":\"PT1H\"}          | 3600000",
        "{\"ttlMillis\":2500}        | 2500",
        "{\"ttlMillis\":1000}        | 1000",
        "{\"ttl\":\"PT2.5S\"}        | 2500"
      })
  void open_withTtlWithinBounds_usesIt(String body, long expectedTtlMillis) {
    HttpResponse<String> answer = api.send("POST", SESSIONS, null, body);

    assertEquals(201, answer.statusCode(), () -> describe(answer));
    JsonObject json = Api.json(answer);
    track(json.getString("id"), json.getString("token"));
    assertEquals(expectedTtlMillis, json.getJsonNumber("ttlMillis").longValueExact());
  }

  @Test
  void open_withLockDelayMillis_usesIt() {
    HttpResponse<String> answer = api.send("POST", SESSIONS, null, "{\"lockDelayMillis\":1500}");

    assertEquals(201, answer.statusCode(), () -> describe(answer));
    JsonObject json = Api.json(answer);
    track(json.getString("id"), json.getString("token"));
    assertEquals(1500, json.getJsonNumber("lockDelayMillis").longValueExact());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{\"ttl\":\"PT0.999S\"}",
        "{\"ttl\":\"PT0S\"}",
        "{\"ttl\":\"PT1H0.001S\"}",
        "{\"ttl\":\"PT2H\"}",
        "{\"ttl\":\"-PT10S\"}",
        "{\"ttl\":\"PT-10S\"}",
        "{\"ttl\":\"garbage\"}",
        "{\"ttl\":\"10s\"}",
        "{\"ttl\":\"\"}",
        "{\"ttl\":10000}",
        "{\"ttlMillis\":999}",
        "{\"ttlMillis\":3600001}",
        "{\"ttlMillis\":-1}",
        "{\"ttlMillis\":\"10000\"}",
        "{\"ttlMillis\":1500.5}",
        "{\"ttl\":\"PT10S\",\"ttlMillis\":10000}"
      })
  void open_withTtlOutOfBoundsOrMalformed_isBadRequest(String body) {
    assertProblem(400, api.send("POST", SESSIONS, null, body));
  }

  // ---------------------------------------------------------------- read

  @Test
  void read_ofLiveSession_listsItsLocksAndNeverTheToken() {
    HttpResponse<String> created = api.send("POST", SESSIONS, null, "{\"name\":\"reader\"}");
    JsonObject json = Api.json(created);
    TestSession session = track(json.getString("id"), json.getString("token"));
    assertEquals(200, session.acquire(prefix + "one", null).statusCode());
    assertEquals(200, session.acquire(prefix + "two/deeper", null).statusCode());

    HttpResponse<String> answer = session.read();

    assertEquals(200, answer.statusCode(), () -> describe(answer));
    JsonObject view = Api.json(answer);
    String secret = session.token().substring(session.token().indexOf('.') + 1);
    assertAll(
        () -> assertEquals(session.id(), view.getString("id")),
        () -> assertEquals("reader", view.getString("name")),
        () -> assertEquals(10_000, view.getJsonNumber("ttlMillis").longValueExact()),
        () -> Instant.parse(view.getString("expiresAt")),
        () -> assertEquals(Set.of(prefix + "one", prefix + "two/deeper"), lockNames(view)),
        () -> assertFalse(view.containsKey("token"), "token field"),
        () -> assertFalse(answer.body().contains(secret), "the token's secret in the body"));
  }

  @Test
  void read_ofSessionWithoutLocks_listsNone() {
    TestSession session = open();

    HttpResponse<String> answer = session.read();

    assertEquals(200, answer.statusCode(), () -> describe(answer));
    assertEquals(Set.of(), lockNames(Api.json(answer)));
  }

  @Test
  void read_ofUnknownSession_isNotFound() {
    assertProblem(404, api.get(SESSIONS + "/no-such-session-" + UUID.randomUUID()));
  }

  // ---------------------------------------------------------------- keep-alive

  @Test
  void keepAlive_withOwnToken_movesExpiryForward() {
    TestSession session = open();
    Instant firstExpiry = expiresAt(session);

    // The server's clock must move on between the two calls; usually it already has.
    HttpResponse<String> answer =
        await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(20))
            .until(
                session::keepAlive,
                a ->
                    a.statusCode() != 200
                        || Instant.parse(Api.json(a).getString("expiresAt")).isAfter(firstExpiry));

    assertEquals(200, answer.statusCode(), () -> describe(answer));
    JsonObject json = Api.json(answer);
    Instant extended = Instant.parse(json.getString("expiresAt"));
    assertAll(
        () -> assertEquals(session.id(), json.getString("id")),
        () -> assertTrue(extended.isAfter(firstExpiry), extended + " after " + firstExpiry),
        () -> assertEquals(extended, expiresAt(session), "expiresAt that GET shows"));
  }

  @Test
  void keepAlive_repeatedWithinTheTtl_keepsAShortSessionAlivePastItsFirstExpiry() {
    TestSession session = open("{\"ttl\":\"PT1S\"}");
    Instant firstExpiry = expiresAt(session);
    Instant wellPast = firstExpiry.plusSeconds(1);

    // Keep-alives every 200 ms for a 1 s TTL; every one of them must find the session alive.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              HttpResponse<String> answer = session.keepAlive();
              assertEquals(200, answer.statusCode(), () -> describe(answer));
              return Instant.now().isAfter(wellPast);
            });

    assertEquals(200, session.read().statusCode(), "session alive past its first expiry");
  }

  @Test
  void keepAlive_withoutToken_isUnauthorized() {
    TestSession session = open();

    assertProblem(401, api.send("POST", keepAlivePath(session.id()), null, null));
  }

  @Test
  void keepAlive_withGarbageToken_isUnauthorized() {
    TestSession session = open();

    assertProblem(401, api.send("POST", keepAlivePath(session.id()), "garbage", null));
  }

  @Test
  void keepAlive_withWrongSecretForThisSession_isUnauthorized() {
    TestSession session = open();

    assertProblem(
        401, api.send("POST", keepAlivePath(session.id()), session.id() + ".not-the-secret", null));
  }

  @Test
  void keepAlive_withAnotherSessionsToken_isForbidden() {
    TestSession target = open();
    TestSession other = open();
    Instant before = expiresAt(target);

    assertProblem(403, api.send("POST", keepAlivePath(target.id()), other.token(), null));
    assertEquals(before, expiresAt(target), "a refused keep-alive does not extend the session");
  }

  @Test
  void keepAlive_ofUnknownSession_isNotFound() {
    TestSession caller = open();

    assertProblem(
        404,
        api.send(
            "POST", keepAlivePath("no-such-session-" + UUID.randomUUID()), caller.token(), null));
  }

  @Test
  void keepAlive_ofDeletedSession_isNotFound() {
    TestSession session = open();
    assertEquals(204, session.close().statusCode());

    assertProblem(404, session.keepAlive());
  }

  // ---------------------------------------------------------------- close

  @Test
  void close_withOwnToken_releasesItsLocksAndEndsIt() {
    TestSession session = open();
    TestSession next = open();
    String lock = prefix + "released-on-close";
    assertEquals(200, session.acquire(lock, null).statusCode());

    HttpResponse<String> answer = session.close();

    assertEquals(204, answer.statusCode(), () -> describe(answer));
    assertEquals("free", Api.json(api.get("/api/v1/locks/" + lock)).getString("state"));
    assertProblem(404, session.read());
    HttpResponse<String> takeOver = next.acquire(lock, null);
    assertEquals(200, takeOver.statusCode(), () -> describe(takeOver));
  }

  @Test
  void close_whileWaitingForALock_dropsTheWaitAndAnswersIt() {
    TestSession holder = open();
    TestSession waiter = open();
    String lock = prefix + "waited-for";
    assertEquals(200, holder.acquire(lock, null).statusCode());
    CompletableFuture<HttpResponse<String>> waiting =
        waiter.acquireAsync(lock, "{\"wait\":\"PT60S\"}");
    await().atMost(Duration.ofSeconds(10)).until(() -> waiterSessions(lock).contains(waiter.id()));

    assertEquals(204, waiter.close().statusCode());

    HttpResponse<String> refused =
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting.getNow(null), a -> a != null);
    assertProblem(409, refused);
    assertEquals(List.of(), waiterSessions(lock), "the closed session's wait left the queue");
  }

  @Test
  void close_withAnotherSessionsToken_isForbiddenAndKeepsTheSession() {
    TestSession target = open();
    TestSession other = open();
    String lock = prefix + "kept";
    assertEquals(200, target.acquire(lock, null).statusCode());

    assertProblem(403, api.send("DELETE", SESSIONS + "/" + target.id(), other.token(), null));

    assertEquals(200, target.read().statusCode(), "the session still exists");
    assertEquals(Set.of(lock), lockNames(Api.json(target.read())), "and still holds its lock");
  }

  @Test
  void close_withoutToken_isUnauthorizedAndKeepsTheSession() {
    TestSession session = open();

    assertProblem(401, api.send("DELETE", SESSIONS + "/" + session.id(), null, null));

    assertEquals(200, session.read().statusCode(), "the session still exists");
  }

  @Test
  void close_twice_isNotFoundTheSecondTime() {
    TestSession session = open();
    assertEquals(204, session.close().statusCode());

    assertProblem(404, session.close());
  }

  // ---------------------------------------------------------------- expiry

  @Test
  void session_whenNotKeptAlive_expiresAndReleasesItsLocks() {
    TestSession session = open("{\"ttl\":\"PT1S\"}");
    String lock = prefix + "expires";
    assertEquals(200, session.acquire(lock, null).statusCode());

    await().atMost(Duration.ofSeconds(10)).until(() -> session.read().statusCode() == 404);

    assertEquals("free", Api.json(api.get("/api/v1/locks/" + lock)).getString("state"));
    assertProblem(404, session.keepAlive());
  }

  // ---------------------------------------------------------------- listing

  @Test
  void list_byNamePrefix_pagesThroughEveryMatchOnceInIdOrder_withHeldLocksAndNoToken() {
    String name = "list-it-" + UUID.randomUUID() + "-";
    List<TestSession> mine = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      mine.add(open("{\"name\":\"" + name + i + "\",\"ttl\":\"PT30S\"}"));
    }
    String lock = prefix + "listed";
    assertEquals(200, mine.get(0).acquire(lock, "exclusive", "PT0S").statusCode());

    List<JsonObject> seen = new ArrayList<>();
    String after = "";
    int pages = 0;
    do {
      HttpResponse<String> answer =
          api.get(SESSIONS + "?limit=2&prefix=" + name + "&after=" + after);
      assertEquals(200, answer.statusCode(), () -> describe(answer));
      JsonObject page = Api.json(answer);
      assertTrue(page.getInt("total") >= 5, "total counts every live session: " + page);
      List<JsonObject> sessions = page.getJsonArray("sessions").getValuesAs(JsonObject.class);
      assertTrue(sessions.size() <= 2, "at most limit sessions in a page: " + page);
      seen.addAll(sessions);
      after = page.containsKey("next") ? page.getString("next") : null;
      pages++;
    } while (after != null && pages < 10);

    assertEquals(3, pages, "5 sessions in pages of 2");
    assertEquals(
        mine.stream().map(TestSession::id).sorted().toList(),
        seen.stream().map(s -> s.getString("id")).toList());
    for (JsonObject s : seen) {
      assertTrue(s.getString("name").startsWith(name), s.toString());
      assertEquals(30_000, s.getInt("ttlMillis"), s.toString());
      assertTrue(s.containsKey("expiresAt"), s.toString());
      assertFalse(s.containsKey("token"), "the listing never shows a token: " + s);
    }
    JsonObject holder =
        seen.stream().filter(s -> s.getString("id").equals(mine.get(0).id())).findFirst().get();
    assertEquals(Set.of(lock), lockNames(holder));
  }

  @Test
  void list_leavesOutAClosedSession() {
    String name = "list-closed-" + UUID.randomUUID();
    TestSession closing = open("{\"name\":\"" + name + "\"}");
    assertEquals(1, listed(name).size());

    assertEquals(204, closing.close().statusCode());

    assertEquals(List.of(), listed(name));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(
      strings = {"limit=0", "limit=1001", "limit=-3", "limit=ten", "limit=", "after=a%0Ab"})
  void list_withBadLimitOrCursor_isBadRequestProblem(String query) {
    assertProblem(400, api.get(SESSIONS + "?" + query));
  }

  // ---------------------------------------------------------------- support

  private List<JsonObject> listed(String namePrefix) {
    HttpResponse<String> answer = api.get(SESSIONS + "?prefix=" + namePrefix);
    assertEquals(200, answer.statusCode(), () -> describe(answer));
    return Api.json(answer).getJsonArray("sessions").getValuesAs(JsonObject.class);
  }

  private TestSession open() {
    return open("{}");
  }

  private TestSession open(String body) {
    HttpResponse<String> answer = api.send("POST", SESSIONS, null, body);
    assertEquals(201, answer.statusCode(), () -> describe(answer));
    JsonObject json = Api.json(answer);
    return track(json.getString("id"), json.getString("token"));
  }

  private TestSession track(String id, String token) {
    return opened.track(new TestSession(api, id, token));
  }

  private Instant expiresAt(TestSession session) {
    HttpResponse<String> answer = session.read();
    assertEquals(200, answer.statusCode(), () -> describe(answer));
    return Instant.parse(Api.json(answer).getString("expiresAt"));
  }

  private List<String> waiterSessions(String lock) {
    return Api.json(api.get("/api/v1/locks/" + lock)).getJsonArray("waiters").stream()
        .map(w -> w.asJsonObject().getString("session"))
        .toList();
  }

  private static Set<String> lockNames(JsonObject sessionView) {
    return sessionView.getJsonArray("locks").stream()
        .map(v -> ((JsonString) v).getString())
        .collect(Collectors.toSet());
  }

  private static String keepAlivePath(String sessionId) {
    return SESSIONS + "/" + sessionId + "/keepalive";
  }

  private static void assertBetween(Instant from, Instant to, Instant actual, String what) {
    assertFalse(actual.isBefore(from.minus(CLOCK_SLACK)), what + " " + actual + " before " + from);
    assertFalse(actual.isAfter(to.plus(CLOCK_SLACK)), what + " " + actual + " after " + to);
  }
}
