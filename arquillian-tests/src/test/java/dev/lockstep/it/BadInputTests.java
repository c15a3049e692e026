package dev.lockstep.it;

import static dev.lockstep.it.support.Problems.assertProblem;
import static dev.lockstep.it.support.Problems.describe;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.Problems;
import dev.lockstep.it.support.RawHttpConnection;
import dev.lockstep.it.support.TestSession;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input of every kind: the exact 4xx, as application/problem+json with type, title, status and
 * detail, never a 5xx, and nothing changed. Each test owns a session and a name prefix, and
 * "nothing changed" means: no lock under the prefix is held or queued, and the session holds
 * nothing.
 */
abstract class BadInputTests {
  private static final String LOCKS = "/api/v1/locks/";
  private static final String SESSIONS = "/api/v1/sessions";

  private final Api api = Api.ofServerUnderTest();
  private final String prefix = "bad-input/" + UUID.randomUUID() + "/";
  private TestSession session;

  @BeforeEach
  void openSession() {
    session = api.openSession(null);
  }

  @AfterEach
  void closeSession() {
    session.close();
  }

  // ---------------------------------------------------------------- lock names

  /**
   * Raw path text after the prefix, sent verbatim ({@link Api#request}): java.net.URI#resolve would
   * drop the dot segments before they reached the server.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "a//b", // empty segment
        "a/", // trailing slash
        "a/./b", // '.' segment
        "a/../b", // '..' segment
        "a/%2E%2E/b", // '..' encoded, decoded by the server
        "a/%2e/b", // '.' encoded in lower case
        "a%2F%2Fb", // an encoded empty segment
        "a%20b", // space
        "caf%C3%A9", // non-ASCII letter
        "a*b", // a character outside the set
        "a%3Fb", // '?' encoded
        "a%0Ab", // newline
        "a%0Db"
      }) // carriage return
  void acquire_withInvalidName_isBadRequestAndChangesNothing(String rawName) {
    assertAcquireAndReadRefused(rawName);
  }

  @Test
  void acquire_withNameOf257Characters_isBadRequestAndChangesNothing() {
    String name = nameOfLength(257);

    assertProblem(400, session.acquire(name, null));
    assertProblem(400, api.get(LOCKS + name));
    assertNothingChanged();
  }

  @Test
  void acquire_withNameOf256Characters_isGranted() {
    String name = nameOfLength(256);

    HttpResponse<String> answer = session.acquire(name, null);

    assertEquals(200, answer.statusCode(), () -> describe(answer));
    assertEquals(name, Api.json(answer).getString("name"));
  }

  /** Dots inside a segment, colons and the other allowed characters are fine. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"a..b", "a:b", "a/.../b", "...x", ".hidden", "end.", "A-Z_a-z.0-9:x", "x/.y/z."})
  void acquire_withUnusualButValidName_isGranted(String rawName) {
    assertGrantedVerbatim(prefix + rawName);
  }

  /**
   * "..." is neither "." nor "..", so shared/API.md allows it as a segment, also the last one.
   * Measured on Payara Micro 6.2025.10: any path ending in "/..." gets a bare 400 from the web
   * container before the application sees it, while "a/.../b" arrives intact. The README lists this
   * as a known limit; this test pins it down, so that a container that lets such paths through (and
   * then must grant them) is noticed.
   */
  @Test
  void acquire_withNameEndingInATripleDotSegment_isRefusedByTheContainerAndChangesNothing() {
    HttpResponse<String> answer =
        api.exchange(
            api.request(LOCKS + prefix + "...")
                .header("Authorization", "Bearer " + session.token())
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build());

    assertEquals(400, answer.statusCode(), () -> describe(answer));
    assertEquals(0, Api.json(session.read()).getJsonArray("locks").size(), "nothing was granted");
  }

  private void assertGrantedVerbatim(String name) {
    HttpResponse<String> answer =
        api.exchange(
            api.request(LOCKS + name)
                .header("Authorization", "Bearer " + session.token())
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build());

    assertEquals(200, answer.statusCode(), () -> describe(answer));
    assertEquals(name, Api.json(answer).getString("name"), "the name arrived verbatim");
  }

  // ---------------------------------------------------------------- bodies

  static Stream<Arguments> badAcquireBodies() {
    return Stream.of(
        Arguments.of("truncated JSON", "{\"mode\":"),
        Arguments.of("unquoted key", "{mode:\"shared\"}"),
        Arguments.of("trailing comma", "{\"mode\":\"shared\",}"),
        Arguments.of("single quotes", "{'mode':'shared'}"),
        Arguments.of("only whitespace", "   "),
        Arguments.of("array", "[]"),
        Arguments.of("array of an object", "[{\"mode\":\"shared\"}]"),
        Arguments.of("number", "42"),
        Arguments.of("string", "\"exclusive\""),
        Arguments.of("null", "null"),
        Arguments.of("mode a number", "{\"mode\":1}"),
        Arguments.of("mode a boolean", "{\"mode\":true}"),
        Arguments.of("mode an array", "{\"mode\":[\"shared\"]}"),
        Arguments.of("wait a number", "{\"wait\":5}"),
        Arguments.of("owner a number", "{\"owner\":5}"),
        Arguments.of("owner an object", "{\"owner\":{}}"),
        Arguments.of("unknown field", "{\"color\":\"red\"}"),
        Arguments.of("field name in another case", "{\"Mode\":\"shared\"}"),
        Arguments.of("wait not ISO-8601", "{\"wait\":\"5s\"}"),
        Arguments.of("wait negative inside", "{\"wait\":\"PT-1S\"}"),
        Arguments.of("wait negative outside", "{\"wait\":\"-PT1S\"}"),
        Arguments.of("wait empty", "{\"wait\":\"\"}"),
        Arguments.of("wait just over 5 min", "{\"wait\":\"PT5M0.001S\"}"),
        Arguments.of("wait a day", "{\"wait\":\"P1D\"}"),
        Arguments.of("waitMillis over 5 min", "{\"waitMillis\":300001}"),
        Arguments.of("waitMillis negative", "{\"waitMillis\":-1}"),
        Arguments.of("waitMillis fractional", "{\"waitMillis\":1.5}"),
        Arguments.of("waitMillis a string", "{\"waitMillis\":\"100\"}"),
        Arguments.of("waitMillis beyond long", "{\"waitMillis\":100000000000000000000}"),
        Arguments.of("wait and waitMillis", "{\"wait\":\"PT1S\",\"waitMillis\":1000}"),
        Arguments.of("mode EXCLUSIVE", "{\"mode\":\"EXCLUSIVE\"}"),
        Arguments.of("mode Shared", "{\"mode\":\"Shared\"}"),
        Arguments.of("mode x", "{\"mode\":\"x\"}"),
        Arguments.of("mode empty", "{\"mode\":\"\"}"),
        Arguments.of("owner with a control character", "{\"owner\":\"a\\u0000b\"}"),
        Arguments.of("owner of 257 characters", "{\"owner\":\"" + "o".repeat(257) + "\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAcquireBodies")
  void acquire_withBadBody_isBadRequestAndChangesNothing(String what, String body) {
    assertProblem(400, session.acquire(prefix + "lock", body));

    assertNothingChanged();
  }

  /** RFC 8259: a JSON text is one value; whatever follows it makes the body malformed. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{\"mode\":\"shared\"} {\"mode\":\"exclusive\"}",
        "{\"mode\":\"shared\"}x",
        "{} ]"
      })
  void acquire_withContentAfterTheJsonObject_isBadRequestAndChangesNothing(String body) {
    assertProblem(400, session.acquire(prefix + "lock", body));

    assertNothingChanged();
  }

  /** Small in bytes, deep in structure: the JSON parser's depth limit must be a 400, not a 500. */
  @ParameterizedTest(name = "depth {0}")
  @ValueSource(ints = {1_001, 5_000})
  void acquire_withJsonNestedDeeperThanTheParserAllows_isBadRequestAndChangesNothing(int depth) {
    String body = "{\"owner\":" + "[".repeat(depth) + "]".repeat(depth) + "}";

    assertProblem(400, session.acquire(prefix + "lock", body));

    assertNothingChanged();
  }

  @Test
  void acquire_withBodyOver64KiB_isPayloadTooLargeAndChangesNothing() {
    String body = "{\"owner\":\"" + "o".repeat(70 * 1024) + "\"}";

    assertProblem(413, session.acquire(prefix + "lock", body));

    assertNothingChanged();
  }

  @Test
  void acquire_withBodyOfExactly64KiB_isAccepted() {
    String body = "{" + " ".repeat(64 * 1024 - 2) + "}";

    HttpResponse<String> answer = session.acquire(prefix + "lock", body);

    assertEquals(200, answer.statusCode(), () -> describe(answer));
  }

  @Test
  void open_withBodyOver64KiB_isPayloadTooLarge() {
    String body = "{\"name\":\"" + "n".repeat(70 * 1024) + "\"}";

    assertProblem(413, api.send("POST", SESSIONS, null, body));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"text/plain", "application/xml", "application/x-www-form-urlencoded"})
  void acquire_withNonJsonContentType_isUnsupportedMediaTypeAndChangesNothing(String type) {
    HttpResponse<String> answer =
        api.exchange(
            api.request(LOCKS + prefix + "lock")
                .header("Authorization", "Bearer " + session.token())
                .header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"mode\":\"shared\"}"))
                .build());

    assertProblem(415, answer);
    assertNothingChanged();
  }

  @Test
  void open_withTextPlainBody_isUnsupportedMediaType() {
    assertProblem(
        415,
        api.exchange(
            api.request(SESSIONS)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ttl\":\"PT10S\"}"))
                .build()));
  }

  /** A Content-Type that is no media type at all is bad input like any other: a problem too. */
  @Test
  void acquire_withUnparseableContentType_isBadRequestProblemAndChangesNothing() {
    HttpResponse<String> answer =
        api.exchange(
            api.request(LOCKS + prefix + "lock")
                .header("Authorization", "Bearer " + session.token())
                .header("Content-Type", "garbage")
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                .build());

    assertProblem(400, answer);
    assertNothingChanged();
  }

  /**
   * Jersey's servlet refuses a second Content-Type with the container's HTML error page before any
   * mapper runs; RequestRefusalFilter must answer it as a problem first. Over a plain socket, so
   * that the two header lines arrive as sent.
   */
  @Test
  void acquire_withTwoContentTypeHeaders_isBadRequestProblemAndChangesNothing() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    String request =
        "PUT "
            + LOCKS
            + prefix
            + "lock HTTP/1.1\r\n"
            + "Host: "
            + api.base().getHost()
            + ":"
            + api.base().getPort()
            + "\r\n"
            + "Authorization: Bearer "
            + session.token()
            + "\r\n"
            + "Content-Type: application/json\r\nContent-Type: text/plain\r\n"
            + "Content-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n{}";
    RawHttpConnection.Answer answer;
    // A raw socket: HttpClient would not send a second Content-Type header as written.
    try (RawHttpConnection connection = RawHttpConnection.open(api, Duration.ofSeconds(30))) {
      answer = connection.exchangeRaw(request.getBytes(StandardCharsets.US_ASCII));
    }

    assertEquals(400, answer.status(), answer::toString);
    assertTrue(
        answer.headers().getOrDefault("content-type", "").startsWith(Problems.MEDIA_TYPE),
        answer::toString);
    assertNothingChanged();
  }

  /** Jersey refuses an Accept quality that is no number (RFC 9110 12.4.2) in the same way. */
  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"*/*;q=x", "application/json;q=1.5", "application/json;q=0.0001"})
  void read_withAcceptQualityOutOfSyntax_isBadRequestProblem(String accept) {
    assertProblem(
        400,
        api.exchange(api.request(LOCKS + prefix + "lock").header("Accept", accept).GET().build()));
  }

  /**
   * A raw ';' starts path parameters, which JAX-RS cuts out of {@code @PathParam}: unless refused,
   * {@code PUT .../a;b/c} acquired the lock {@code a/c}.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"a;b", "a;b/c", "a/b;"})
  void acquire_withSemicolonInPath_isBadRequestAndChangesNothing(String rawName) {
    assertAcquireAndReadRefused(rawName);
  }

  /** PUT and GET of the lock at {@code rawName} (as written in the path) are both a 400. */
  private void assertAcquireAndReadRefused(String rawName) {
    HttpResponse<String> put =
        api.exchange(
            api.request(LOCKS + prefix + rawName)
                .header("Authorization", "Bearer " + session.token())
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build());
    HttpResponse<String> get = api.exchange(api.request(LOCKS + prefix + rawName).GET().build());

    assertProblem(400, put);
    assertProblem(400, get);
    assertNothingChanged();
  }

  /** Hex bytes placed inside the owner string: stray, overlong, surrogate and truncated UTF-8. */
  @ParameterizedTest(name = "bytes {0}")
  @ValueSource(strings = {"ff", "fe", "c0af", "eda080", "e282", "80"})
  void acquire_withInvalidUtf8_isBadRequestAndChangesNothing(String hex) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("{\"owner\":\"a".getBytes(StandardCharsets.UTF_8));
    body.writeBytes(HexFormat.of().parseHex(hex));
    body.writeBytes("b\"}".getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> answer =
        api.exchange(
            api.request(LOCKS + prefix + "lock")
                .header("Authorization", "Bearer " + session.token())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());

    assertProblem(400, answer);
    assertNothingChanged();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "[]",
        "{\"color\":\"red\"}",
        "{\"name\":5}",
        "{\"name\":\"tab\\there\"}",
        "{\"ttl\":\"PT10S\",\"ttlMillis\":10000}",
        "{\"lockDelay\":\"-PT1S\"}",
        "{\"lockDelay\":\"PT1M0.001S\"}",
        "{\"lockDelayMillis\":-1}",
        "{\"ttl\":\"PT10S\""
      })
  void open_withBadBody_isBadRequest(String body) {
    assertProblem(400, api.send("POST", SESSIONS, null, body));
  }

  @Test
  void open_withNameOf257Characters_isBadRequest() {
    assertProblem(400, api.send("POST", SESSIONS, null, "{\"name\":\"" + "n".repeat(257) + "\"}"));
  }

  // ---------------------------------------------------------------- tokens

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(
      strings = {
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer ",
        "Bearer a.b.c",
        "Bearer .x",
        "Bearer x.",
        "Token abc.def"
      })
  void acquire_withMalformedAuthorization_isUnauthorizedAndChangesNothing(String authorization) {
    HttpResponse<String> answer =
        api.exchange(
            api.request(LOCKS + prefix + "lock")
                .header("Authorization", authorization)
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build());

    assertProblem(401, answer);
    assertNothingChanged();
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"abc", "-1", "1.5", "1e3", "0x10", "%20"})
  void fencing_withMalformedToken_isBadRequest(String token) {
    assertProblem(400, api.get(LOCKS + prefix + "lock/fencing/" + token));
  }

  // ---------------------------------------------------------------- paths and methods

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET,    /api/v1/no-such-thing",
    "POST,   /api/v1/no-such-thing",
    "GET,    /api/v1/sessions/some-id/no-such-thing",
    "GET,    /api/v1/lock/singular"
  })
  void unknownPath_isNotFoundProblem(String method, String path) {
    assertProblem(404, api.send(method, path, null, null));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "PATCH,  /api/v1/sessions",
    "PUT,    /api/v1/sessions",
    "DELETE, /api/v1/sessions",
    "PATCH,  /api/v1/sessions/some-id",
    "GET,    /api/v1/sessions/some-id/keepalive",
    "POST,   /api/v1/locks/a",
    "PATCH,  /api/v1/locks/a",
    "DELETE, /api/v1/locks",
    "POST,   /api/v1/locks/a/fencing/1"
  })
  void wrongMethod_isMethodNotAllowedProblem(String method, String path) {
    HttpResponse<String> answer = api.send(method, path, session.token(), null);

    assertProblem(405, answer);
    assertTrue(answer.headers().firstValue("Allow").isPresent(), "Allow header");
  }

  // ------------------------------------------- what the web container would answer itself

  /**
   * Escapes that are not UTF-8: Payara's decoder answered them with a bare "400 Invalid URI"; with
   * the URI encoding of lockstep-preboot.txt they reach RequestRefusalFilter.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"%FF", "%C0%AF"})
  void acquire_withEscapeThatIsNotUtf8_isBadRequestProblemAndChangesNothing(String escape) {
    RawHttpConnection.Answer answer =
        raw("PUT", LOCKS + prefix + "a" + escape + "b", List.of(bearer()), new byte[0]);

    Problems.assertProblem(400, "bad-request", answer);
    assertNothingChanged();
  }

  /** A body on GET or DELETE: Grizzly's bare 400, unless allowed by lockstep-preboot.txt. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"GET", "DELETE"})
  void readOrRelease_withABody_isBadRequestProblemAndLeavesTheLockHeld(String method) {
    String lock = prefix + "held";
    HttpResponse<String> granted = session.acquire(lock, "{}");
    assertEquals(200, granted.statusCode(), () -> describe(granted));
    JsonObject before = Api.json(api.get(LOCKS + lock));

    RawHttpConnection.Answer answer =
        raw(
            method,
            LOCKS + lock,
            List.of(bearer(), "Content-Type: application/json"),
            "{}".getBytes(StandardCharsets.UTF_8));

    Problems.assertProblem(400, "bad-request", answer);
    assertEquals(
        before.getJsonArray("holders"),
        Api.json(api.get(LOCKS + lock)).getJsonArray("holders"),
        "the holder and its fencing token");
  }

  /** TRACE: the container's bare 405, or (with trace-enabled) an echo of the request. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/api/v1/locks/a", "/", "/api/v1/sessions"})
  void trace_isMethodNotAllowedProblemAndNoEcho(String path) {
    RawHttpConnection.Answer answer = raw("TRACE", path, List.of(bearer()), new byte[0]);

    Problems.assertProblem(405, "method-not-allowed", answer);
    assertTrue(!answer.body().contains(session.token()), "the request is not echoed");
  }

  /**
   * Control characters and bytes outside ASCII in a header value: Grizzly's bare 400, unless the
   * server's JVM option lets them through to RequestRefusalFilter. Hex of the bytes sent.
   */
  @ParameterizedTest(name = "bytes {0}")
  @ValueSource(strings = {"01", "7f", "1b5b306d", "e9", "c3a9", "00"})
  void acquire_withControlOrNonAsciiByteInAHeader_isBadRequestProblemAndChangesNothing(String hex) {
    String value = "a" + new String(HexFormat.of().parseHex(hex), StandardCharsets.ISO_8859_1);

    RawHttpConnection.Answer answer =
        raw("PUT", LOCKS + prefix + "lock", List.of(bearer(), "X-Note: " + value), new byte[0]);

    Problems.assertProblem(400, "bad-request", answer);
    assertNothingChanged();
  }

  /** The default servlet's HTML 404 for a path outside the API is a problem too (web.xml). */
  @Test
  void pathOutsideTheApi_isNotFoundProblem() {
    Problems.assertProblem(
        404, "not-found", raw("GET", "/no-such-page-" + prefix, List.of(), new byte[0]));
  }

  /**
   * What no setting of Payara Micro 6.2025.10 lets through (README, "Rules worth knowing"): these
   * tests pin the container's bare answers down, so that a container that changes them (and then
   * must answer problems) is noticed, and show that nothing is acted on.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"a%00b, 400", "a\\b, 400", "a%5Cb, 400", "a%ZZb, 200"})
  void acquire_withPathTheContainerAnswersItself_isABareAnswerAndChangesNothing(
      String rawName, int status) {
    RawHttpConnection.Answer answer =
        raw("PUT", LOCKS + prefix + rawName, List.of(bearer()), new byte[0]);

    assertEquals(status, answer.status(), answer::toString);
    assertEquals("", answer.body(), "no body from the container");
    assertNothingChanged();
  }

  // ---------------------------------------------------------------- support

  private String bearer() {
    return "Authorization: Bearer " + session.token();
  }

  /**
   * Sends exactly these bytes (ISO-8859-1 for the request line and headers) over a plain socket,
   * which java.net.http would refuse to send, and reads the answer.
   */
  private RawHttpConnection.Answer raw(
      String method, String target, List<String> headers, byte[] body) {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    StringBuilder head =
        new StringBuilder(method + " " + target + " HTTP/1.1\r\n")
            .append("Host: " + api.base().getHost() + ":" + api.base().getPort() + "\r\n")
            .append("Connection: close\r\n");
    headers.forEach(h -> head.append(h).append("\r\n"));
    if (body.length > 0) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    request.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    request.writeBytes(body);
    try (RawHttpConnection connection = RawHttpConnection.open(api, Duration.ofSeconds(30))) {
      return connection.exchangeRaw(request.toByteArray());
    }
  }

  private String nameOfLength(int length) {
    return prefix + "n".repeat(length - prefix.length());
  }

  private void assertNothingChanged() {
    HttpResponse<String> list = api.get("/api/v1/locks?prefix=" + prefix);
    HttpResponse<String> own = session.read();
    assertEquals(200, list.statusCode(), () -> describe(list));
    assertEquals(200, own.statusCode(), () -> describe(own));
    JsonObject ownView = Api.json(own);
    assertAll(
        "nothing changed",
        () ->
            assertEquals(
                List.of(),
                Api.json(list).getJsonArray("locks"),
                "locks held or queued under " + prefix),
        () ->
            assertEquals(
                List.of(),
                ownView.getJsonArray("locks").getValuesAs(JsonString::getString),
                "locks of the session"));
  }
}
