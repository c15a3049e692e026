package dev.lockstep.it;

import static dev.lockstep.it.support.Problems.assertProblem;
import static dev.lockstep.it.support.Problems.describe;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.OpenedSessions;
import dev.lockstep.it.support.TestSession;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Locks: acquire, release, read, list and fencing, each from the sessions' point of view. */
abstract class LocksTests {
  private static final String LOCKS = "/api/v1/locks/";

  private final Api api = Api.ofServerUnderTest();
  // Every test works under its own prefix: the server is shared and other tests' locks exist.
  private final String prefix = "locks-it/" + UUID.randomUUID() + "/";
  @RegisterExtension final OpenedSessions opened = new OpenedSessions(api);

  // ---------------------------------------------------------------- acquire

  @Test
  void acquire_whenFree_grantsWithAFencingToken() {
    TestSession session = open();
    String lock = prefix + "free";
    Instant before = Instant.now();

    HttpResponse<String> answer =
        session.acquire(lock, "{\"mode\":\"exclusive\",\"owner\":\"host:42:main\"}");

    Instant after = Instant.now();
    assertEquals(200, answer.statusCode(), () -> describe(answer));
    JsonObject grant = Api.json(answer);
    Instant acquiredAt = Instant.parse(grant.getString("acquiredAt"));
    assertAll(
        () -> assertEquals(lock, grant.getString("name")),
        () -> assertEquals("exclusive", grant.getString("mode")),
        () -> assertEquals(session.id(), grant.getString("session")),
        () -> assertEquals("host:42:main", grant.getString("owner")),
        () -> assertTrue(grant.getJsonNumber("fencingToken").longValueExact() > 0, "token"),
        () -> assertFalse(acquiredAt.isBefore(before.minusMillis(500)), "acquiredAt " + acquiredAt),
        () -> assertFalse(acquiredAt.isAfter(after.plusMillis(500)), "acquiredAt " + acquiredAt));
  }

  @Test
  void acquire_withoutBody_grantsExclusiveAtOnce() {
    TestSession session = open();
    TestSession other = open();
    String lock = prefix + "default-mode";

    HttpResponse<String> answer = session.acquire(lock, null);

    assertEquals(200, answer.statusCode(), () -> describe(answer));
    assertEquals("exclusive", Api.json(answer).getString("mode"));
    assertProblem(409, other.acquire(lock, "{\"mode\":\"shared\"}"));
  }

  @Test
  void acquire_withWaitMillis_waitsAndIsGrantedOnRelease() {
    TestSession holder = open();
    TestSession waiter = open();
    String lock = prefix + "wait-millis";
    long holderToken = token(holder.acquire(lock, null));
    CompletableFuture<HttpResponse<String>> waiting =
        waiter.acquireAsync(lock, "{\"waitMillis\":30000}");
    await().atMost(Duration.ofSeconds(10)).until(() -> waiterSessions(lock).contains(waiter.id()));

    assertEquals(204, holder.release(lock).statusCode());

    HttpResponse<String> granted = answerOf(waiting);
    assertEquals(200, granted.statusCode(), () -> describe(granted));
    assertEquals(waiter.id(), Api.json(granted).getString("session"));
    assertTrue(token(granted) > holderToken, "the waiter's grant has a newer fencing token");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"exclusive", "shared"})
  void acquire_whenHeldBySelfInSameMode_returnsTheSameGrant(String mode) {
    TestSession session = open();
    String lock = prefix + "again";
    String body = "{\"mode\":\"" + mode + "\"}";
    JsonObject first = Api.json(session.acquire(lock, body));

    HttpResponse<String> again = session.acquire(lock, body);

    assertEquals(200, again.statusCode(), () -> describe(again));
    JsonObject second = Api.json(again);
    assertAll(
        () ->
            assertEquals(first.getJsonNumber("fencingToken"), second.getJsonNumber("fencingToken")),
        () -> assertEquals(first.getString("acquiredAt"), second.getString("acquiredAt")),
        () -> assertEquals(mode, second.getString("mode")),
        () -> assertEquals(1, holders(lock).size(), "still one holder"));
  }

  @ParameterizedTest(name = "holding {0}, asking {1}")
  @CsvSource({"exclusive, shared", "shared, exclusive"})
  void acquire_inTheOtherModeWhileHolding_isConflict(String held, String asked) {
    TestSession session = open();
    String lock = prefix + "other-mode";
    long token = token(session.acquire(lock, "{\"mode\":\"" + held + "\"}"));

    JsonObject problem = assertProblem(409, session.acquire(lock, "{\"mode\":\"" + asked + "\"}"));

    assertTrue(problem.getString("type").endsWith("/conflict"), problem.getString("type"));
    JsonObject view = read(lock);
    assertEquals(held, view.getString("mode"), "the held grant is unchanged");
    assertEquals(token, holders(lock).get(0).getJsonNumber("fencingToken").longValueExact());
  }

  @Test
  void acquire_tryOnceWhenHeldByOther_isConflictListingTheHolders() {
    TestSession holder = open();
    TestSession other = open();
    String lock = prefix + "held";
    long token = token(holder.acquire(lock, "{\"owner\":\"first\"}"));

    HttpResponse<String> answer = other.acquire(lock, null);

    JsonObject problem = assertProblem(409, answer);
    assertAll(
        () ->
            assertTrue(problem.getString("type").endsWith("/conflict"), problem.getString("type")),
        () -> assertEquals(1, problem.getJsonArray("holders").size(), "holders"),
        () ->
            assertEquals(
                holder.id(), problem.getJsonArray("holders").getJsonObject(0).getString("session")),
        () ->
            assertEquals(
                token,
                problem
                    .getJsonArray("holders")
                    .getJsonObject(0)
                    .getJsonNumber("fencingToken")
                    .longValueExact()),
        () -> assertEquals(List.of(), problem.getJsonArray("waiters"), "waiters"),
        () -> assertEquals(List.of(), locksOf(other), "the refused session holds nothing"));
  }

  @Test
  void acquire_tryOnceWhenOthersWait_isConflictListingHoldersAndWaitersInOrder() {
    TestSession holder = open();
    TestSession firstWaiter = open();
    TestSession secondWaiter = open();
    TestSession latecomer = open();
    String lock = prefix + "queued";
    long token = token(holder.acquire(lock, null));
    CompletableFuture<HttpResponse<String>> first =
        firstWaiter.acquireAsync(lock, "{\"mode\":\"exclusive\",\"wait\":\"PT30S\"}");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> waiterSessions(lock).equals(List.of(firstWaiter.id())));
    CompletableFuture<HttpResponse<String>> second =
        secondWaiter.acquireAsync(lock, "{\"mode\":\"shared\",\"wait\":\"PT30S\"}");
    await().atMost(Duration.ofSeconds(10)).until(() -> waiterSessions(lock).size() == 2);

    JsonObject problem = assertProblem(409, latecomer.acquire(lock, "{\"mode\":\"shared\"}"));

    var waiters = problem.getJsonArray("waiters");
    assertAll(
        () ->
            assertTrue(problem.getString("type").endsWith("/conflict"), problem.getString("type")),
        () ->
            assertEquals(
                token,
                problem
                    .getJsonArray("holders")
                    .getJsonObject(0)
                    .getJsonNumber("fencingToken")
                    .longValueExact()),
        () -> assertEquals(2, waiters.size(), "waiters " + waiters),
        () -> assertEquals(firstWaiter.id(), waiters.getJsonObject(0).getString("session")),
        () -> assertEquals("exclusive", waiters.getJsonObject(0).getString("mode")),
        () -> Instant.parse(waiters.getJsonObject(0).getString("since")),
        () -> assertEquals(secondWaiter.id(), waiters.getJsonObject(1).getString("session")),
        () -> assertEquals("shared", waiters.getJsonObject(1).getString("mode")));

    // Releasing grants the queue head, in order; the shared one waits behind the exclusive one.
    assertEquals(204, holder.release(lock).statusCode());
    HttpResponse<String> firstGrant = answerOf(first);
    assertEquals(200, firstGrant.statusCode(), () -> describe(firstGrant));
    assertEquals(
        List.of(secondWaiter.id()),
        waiterSessions(lock),
        "the shared waiter still waits behind the exclusive grant");
    assertFalse(second.isDone(), "and has no answer yet");
    assertEquals(204, firstWaiter.release(lock).statusCode());
    HttpResponse<String> secondGrant = answerOf(second);
    assertEquals(200, secondGrant.statusCode(), () -> describe(secondGrant));
    assertTrue(token(secondGrant) > token(firstGrant), "grants in queue order");
  }

  // ---------------------------------------------------------------- release

  @Test
  void release_whenHeld_isNoContentAndFreesTheLock() {
    TestSession session = open();
    TestSession next = open();
    String lock = prefix + "release";
    assertEquals(200, session.acquire(lock, null).statusCode());

    HttpResponse<String> answer = session.release(lock);

    assertEquals(204, answer.statusCode(), () -> describe(answer));
    assertEquals("free", read(lock).getString("state"));
    assertEquals(List.of(), locksOf(session));
    assertEquals(200, next.acquire(lock, null).statusCode(), "another session gets it now");
  }

  @Test
  void cancelByRequestId_whateverBecameOfTheRequest_leavesItHoldingNothing() {
    TestSession holder = open();
    TestSession session = open();
    String lock = prefix + "cancel";
    token(holder.acquire(lock, null));

    // Cancelled before the server read it (a frozen server that resumes): refused when it comes.
    assertEquals(204, cancel(session, lock, "late").statusCode());
    assertEquals(204, holder.release(lock).statusCode());
    JsonObject refused = assertProblem(409, session.acquire(lock, "{\"requestId\":\"late\"}"));
    assertTrue(refused.getString("detail").contains("cancelled"), refused.toString());
    assertEquals("free", read(lock).getString("state"), "the late request took nothing");

    // Granted with nobody to hear it: the cancel releases that grant, and only that one.
    token(session.acquire(lock, "{\"requestId\":\"unheard\"}"));
    assertEquals(204, cancel(session, lock, "unheard").statusCode());
    assertEquals("free", read(lock).getString("state"));
    long later = token(session.acquire(lock, "{\"requestId\":\"later\"}"));
    assertEquals(204, cancel(session, lock, "unheard").statusCode());
    assertEquals(later, holders(lock).get(0).getJsonNumber("fencingToken").longValueExact());

    // Queued: withdrawn, and its waiting request answered 409.
    TestSession waiter = open();
    CompletableFuture<HttpResponse<String>> waiting =
        waiter.acquireAsync(lock, "{\"wait\":\"PT30S\",\"requestId\":\"queued\"}");
    await().atMost(Duration.ofSeconds(10)).until(() -> waiterSessions(lock).contains(waiter.id()));
    assertEquals(204, cancel(waiter, lock, "queued").statusCode());
    assertProblem(409, answerOf(waiting));
    assertEquals(List.of(), waiterSessions(lock));

    assertProblem(
        400,
        waiter.api().send("DELETE", LOCKS + lock + "?queued=true&request=x", waiter.token(), null));
    assertProblem(400, session.acquire(lock, "{\"requestId\":\"" + "r".repeat(65) + "\"}"));
    assertProblem(401, api.send("DELETE", LOCKS + lock + "?request=x", null, null));
  }

  private static HttpResponse<String> cancel(TestSession session, String lock, String request) {
    return session
        .api()
        .send("DELETE", LOCKS + lock + "?request=" + request, session.token(), null);
  }

  @Test
  void release_whenNeverAcquired_isConflict() {
    TestSession session = open();

    assertProblem(409, session.release(prefix + "never-acquired"));
  }

  @Test
  void release_whenAlreadyReleased_isConflict() {
    TestSession session = open();
    String lock = prefix + "twice";
    assertEquals(200, session.acquire(lock, null).statusCode());
    assertEquals(204, session.release(lock).statusCode());

    assertProblem(409, session.release(lock));
  }

  @Test
  void release_whenHeldByOther_isConflictAndKeepsTheHolder() {
    TestSession holder = open();
    TestSession other = open();
    String lock = prefix + "not-yours";
    long token = token(holder.acquire(lock, null));

    JsonObject problem = assertProblem(409, other.release(lock));

    assertEquals(
        token,
        problem
            .getJsonArray("holders")
            .getJsonObject(0)
            .getJsonNumber("fencingToken")
            .longValueExact(),
        "the problem lists the holder");
    assertEquals(holder.id(), holders(lock).get(0).getString("session"), "still held");
  }

  // ---------------------------------------------------------------- tokens

  @Test
  void acquire_withoutToken_isUnauthorizedAndGrantsNothing() {
    String lock = prefix + "no-token";

    assertProblem(401, api.send("PUT", LOCKS + lock, null, null));

    assertEquals("free", read(lock).getString("state"));
  }

  @Test
  void acquire_withUnknownToken_isUnauthorized() {
    String lock = prefix + "unknown-token";

    assertProblem(401, api.send("PUT", LOCKS + lock, "nosuchsession.nosuchsecret", null));

    assertEquals("free", read(lock).getString("state"));
  }

  @Test
  void acquire_withClosedSessionsToken_isUnauthorized() {
    TestSession session = open();
    assertEquals(204, session.close().statusCode());
    String lock = prefix + "closed-session";

    assertProblem(401, session.acquire(lock, null));

    assertEquals("free", read(lock).getString("state"));
  }

  @Test
  void release_withoutToken_isUnauthorizedAndKeepsTheLock() {
    TestSession holder = open();
    String lock = prefix + "release-no-token";
    assertEquals(200, holder.acquire(lock, null).statusCode());

    assertProblem(401, api.send("DELETE", LOCKS + lock, null, null));

    assertEquals(holder.id(), holders(lock).get(0).getString("session"));
  }

  // ---------------------------------------------------------------- read

  @Test
  void read_whenFree_isFreeWithEmptyLists() {
    String lock = prefix + "never-used";

    HttpResponse<String> answer = api.get(LOCKS + lock);

    assertEquals(200, answer.statusCode(), () -> describe(answer));
    JsonObject view = Api.json(answer);
    assertAll(
        () -> assertEquals(lock, view.getString("name")),
        () -> assertEquals("free", view.getString("state")),
        () -> assertTrue(isAbsentOrNull(view, "mode"), "no mode on a free lock: " + view),
        () -> assertEquals(List.of(), view.getJsonArray("holders")),
        () -> assertEquals(List.of(), view.getJsonArray("waiters")),
        () -> assertTrue(view.getJsonNumber("revision").longValueExact() >= 0, "revision"),
        () -> assertTrue(answer.headers().firstValue("ETag").isPresent(), "ETag"));
  }

  @Test
  void read_whenHeld_showsHoldersWaitersRevisionAndETag() {
    TestSession holder = open();
    String lock = prefix + "viewed";
    JsonObject grant = Api.json(holder.acquire(lock, "{\"owner\":\"host:7:worker\"}"));

    HttpResponse<String> answer = api.get(LOCKS + lock);

    assertEquals(200, answer.statusCode(), () -> describe(answer));
    JsonObject view = Api.json(answer);
    JsonObject only = view.getJsonArray("holders").getJsonObject(0);
    assertAll(
        () -> assertEquals(lock, view.getString("name")),
        () -> assertEquals("held", view.getString("state")),
        () -> assertEquals("exclusive", view.getString("mode")),
        () -> assertEquals(1, view.getJsonArray("holders").size()),
        () -> assertEquals(holder.id(), only.getString("session")),
        () -> assertEquals("host:7:worker", only.getString("owner")),
        () -> assertEquals(grant.getJsonNumber("fencingToken"), only.getJsonNumber("fencingToken")),
        () -> assertEquals(grant.getString("acquiredAt"), only.getString("since")),
        () -> assertEquals(List.of(), view.getJsonArray("waiters")),
        () ->
            assertTrue(
                view.getJsonNumber("revision").longValueExact()
                    >= grant.getJsonNumber("fencingToken").longValueExact(),
                "revision counts the grant"),
        () -> assertTrue(answer.headers().firstValue("ETag").isPresent(), "ETag"));
  }

  @Test
  void eTag_changesWhenHoldersChangeAndOnlyThen() {
    TestSession first = open();
    TestSession second = open();
    String lock = prefix + "etag";
    String free = etag(lock);
    assertEquals(free, etag(lock), "unchanged lock, unchanged ETag");

    assertEquals(200, first.acquire(lock, "{\"mode\":\"shared\"}").statusCode());
    String oneHolder = etag(lock);
    assertEquals(200, second.acquire(lock, "{\"mode\":\"shared\"}").statusCode());
    String twoHolders = etag(lock);
    assertEquals(204, second.release(lock).statusCode());
    String oneAgain = etag(lock);

    assertAll(
        () -> assertNotEquals(free, oneHolder, "after the first grant"),
        () -> assertNotEquals(oneHolder, twoHolders, "after the second grant"),
        () -> assertNotEquals(twoHolders, oneAgain, "after a release"),
        () -> assertEquals(oneAgain, etag(lock), "unchanged lock, unchanged ETag"));
  }

  // ---------------------------------------------------------------- list

  @Test
  void list_withPrefix_showsOnlyHeldLocksUnderItSortedByName() {
    TestSession alice = open();
    TestSession bob = open();
    assertEquals(200, alice.acquire(prefix + "c", null).statusCode());
    assertEquals(200, alice.acquire(prefix + "a", "{\"mode\":\"shared\"}").statusCode());
    assertEquals(200, bob.acquire(prefix + "a", "{\"mode\":\"shared\"}").statusCode());
    long newest = token(bob.acquire(prefix + "b/deep", null));
    assertEquals(200, alice.acquire(prefix + "released", null).statusCode());
    assertEquals(204, alice.release(prefix + "released").statusCode());
    assertEquals("free", read(prefix + "only-read").getString("state"));
    // Starts with the prefix's text up to its slash, but is not under it.
    String sibling = prefix.substring(0, prefix.length() - 1) + "-sibling/x";
    assertEquals(200, alice.acquire(sibling, null).statusCode());

    HttpResponse<String> answer = api.get("/api/v1/locks?prefix=" + prefix);

    assertEquals(200, answer.statusCode(), () -> describe(answer));
    JsonObject list = Api.json(answer);
    List<JsonObject> locks = list.getJsonArray("locks").getValuesAs(JsonObject.class);
    assertAll(
        () ->
            assertEquals(
                List.of(prefix + "a", prefix + "b/deep", prefix + "c"),
                locks.stream().map(l -> l.getString("name")).toList()),
        () -> assertEquals(2, locks.get(0).getJsonArray("holders").size(), "shared by two"),
        () -> assertTrue(locks.stream().allMatch(l -> l.getString("state").equals("held"))),
        () -> assertTrue(locks.stream().allMatch(l -> l.containsKey("revision"))),
        () ->
            assertTrue(
                list.getJsonNumber("revision").longValueExact() >= newest,
                "list revision " + list.get("revision") + " counts grant " + newest));
  }

  @Test
  void list_withPrefixNothingHolds_isEmpty() {
    HttpResponse<String> answer = api.get("/api/v1/locks?prefix=" + prefix);

    assertEquals(200, answer.statusCode(), () -> describe(answer));
    assertEquals(List.of(), Api.json(answer).getJsonArray("locks"));
  }

  // ---------------------------------------------------------------- fencing

  @Test
  void fencing_ofTheCurrentGrant_isValidUntilReleased() {
    TestSession session = open();
    String lock = prefix + "fenced";
    long token = token(session.acquire(lock, null));

    assertAll(
        () -> assertTrue(fencingValid(lock, token), "current grant"),
        () -> assertFalse(fencingValid(lock, token + 1_000_000), "a token never granted"),
        // Token 1 is only ours on a fresh server; 0 is not a token at all.
        () -> assertFalse(token > 1 && fencingValid(lock, token - 1), "an older token"));
    assertEquals(204, session.release(lock).statusCode());
    assertFalse(fencingValid(lock, token), "after release");
  }

  @Test
  void fencing_ofAnotherLocksGrant_isNotValid() {
    TestSession session = open();
    long tokenOfA = token(session.acquire(prefix + "a", null));
    assertEquals(200, session.acquire(prefix + "b", null).statusCode());

    assertFalse(fencingValid(prefix + "b", tokenOfA));
  }

  @Test
  void fencingTokens_acrossSuccessiveGrants_strictlyIncrease() {
    TestSession alice = open();
    TestSession bob = open();
    String lock = prefix + "successive";
    List<Long> tokens = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      TestSession session = i % 2 == 0 ? alice : bob;
      String mode = i % 3 == 0 ? "shared" : "exclusive";
      tokens.add(token(session.acquire(lock, "{\"mode\":\"" + mode + "\"}")));
      assertEquals(204, session.release(lock).statusCode());
      // A grant of another lock in between draws from the same counter.
      tokens.add(token(session.acquire(prefix + "between/" + i, null)));
    }

    for (int i = 1; i < tokens.size(); i++) {
      assertTrue(tokens.get(i) > tokens.get(i - 1), "strictly increasing: " + tokens);
    }
  }

  // ---------------------------------------------------------------- shared

  @Test
  void sharedMode_twoSessions_holdTogetherAndExcludeAnExclusive() {
    TestSession alice = open();
    TestSession bob = open();
    TestSession carol = open();
    String lock = prefix + "shared";

    long aliceToken = token(alice.acquire(lock, "{\"mode\":\"shared\"}"));
    HttpResponse<String> bobs = bob.acquire(lock, "{\"mode\":\"shared\"}");

    assertEquals(200, bobs.statusCode(), () -> describe(bobs));
    long bobToken = token(bobs);
    JsonObject view = read(lock);
    assertAll(
        () -> assertEquals("shared", view.getString("mode")),
        () ->
            assertEquals(
                List.of(alice.id(), bob.id()),
                holders(lock).stream().map(h -> h.getString("session")).toList(),
                "holders in grant order"),
        () -> assertNotEquals(aliceToken, bobToken, "each grant has its own token"),
        () -> assertTrue(fencingValid(lock, aliceToken), "alice's token"),
        () -> assertTrue(fencingValid(lock, bobToken), "bob's token"));
    assertProblem(409, carol.acquire(lock, "{\"mode\":\"exclusive\"}"));
  }

  // ---------------------------------------------------------------- names

  @Test
  void nameWithSlashes_worksForEveryCall() {
    TestSession session = open();
    String lock = prefix + "a/b/c";

    HttpResponse<String> granted = session.acquire(lock, null);

    assertEquals(200, granted.statusCode(), () -> describe(granted));
    long token = token(granted);
    assertAll(
        () -> assertEquals(lock, Api.json(granted).getString("name")),
        () -> assertEquals(lock, read(lock).getString("name")),
        () -> assertEquals("held", read(lock).getString("state")),
        () -> assertTrue(fencingValid(lock, token), "fencing path under a slashed name"),
        () -> assertEquals(List.of(lock), locksOf(session)),
        () ->
            assertEquals(
                "free", read(prefix + "a/b").getString("state"), "parent is its own lock"));
    assertEquals(204, session.release(lock).statusCode());
    assertEquals("free", read(lock).getString("state"));
  }

  // ---------------------------------------------------------------- support

  private TestSession open() {
    return opened.open(null);
  }

  private JsonObject read(String lock) {
    HttpResponse<String> answer = api.get(LOCKS + lock);
    assertEquals(200, answer.statusCode(), () -> describe(answer));
    return Api.json(answer);
  }

  private String etag(String lock) {
    HttpResponse<String> answer = api.get(LOCKS + lock);
    assertEquals(200, answer.statusCode(), () -> describe(answer));
    return answer.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag"));
  }

  private List<JsonObject> holders(String lock) {
    return read(lock).getJsonArray("holders").getValuesAs(JsonObject.class);
  }

  private List<String> waiterSessions(String lock) {
    return read(lock).getJsonArray("waiters").getValuesAs(JsonObject.class).stream()
        .map(w -> w.getString("session"))
        .toList();
  }

  private List<String> locksOf(TestSession session) {
    return Api.json(session.read()).getJsonArray("locks").getValuesAs(JsonString::getString);
  }

  private boolean fencingValid(String lock, long token) {
    HttpResponse<String> answer = api.get(LOCKS + lock + "/fencing/" + token);
    assertEquals(200, answer.statusCode(), () -> describe(answer));
    return Api.json(answer).getBoolean("valid");
  }

  private static long token(HttpResponse<String> grant) {
    assertEquals(200, grant.statusCode(), () -> describe(grant));
    return Api.json(grant).getJsonNumber("fencingToken").longValueExact();
  }

  private static HttpResponse<String> answerOf(CompletableFuture<HttpResponse<String>> waiting) {
    return await().atMost(Duration.ofSeconds(10)).until(() -> waiting.getNow(null), a -> a != null);
  }

  private static boolean isAbsentOrNull(JsonObject json, String field) {
    return !json.containsKey(field) || json.isNull(field);
  }
}
