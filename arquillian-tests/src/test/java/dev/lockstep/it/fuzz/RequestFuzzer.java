package dev.lockstep.it.fuzz;

import dev.lockstep.it.fuzz.Aim.Call;
import jakarta.json.JsonNumber;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Generates requests to every endpoint of shared/API.md and of the README's additions: random lock
 * names and session ids, bodies good and bad, every kind of bearer token, odd Content-Type and
 * Accept headers, duplicate headers and raw bytes (over a plain socket), event streams with odd
 * parameters, batches ({@link BatchBodies}) and grant polls ({@link GrantPolls}), some of them
 * abandoned in bursts so that later polls meet the limit of waiting polls.
 *
 * <p>Also what Payara's web container would answer itself, without a problem, were the server not
 * launched with {@code lockstep-preboot.txt} and its JVM option (README, "Rules worth knowing"):
 * percent-escapes that decode to invalid UTF-8, bodies on GET and DELETE, TRACE, and control
 * characters or raw bytes outside ASCII in header values. All must be problems.
 *
 * <p>Generated around, because the container answers them itself before the application whatever it
 * is told (README; measured on Payara Micro 6.2025.10): a path whose last segment is only dots
 * (bare 400), malformed percent-escapes such as {@code %ZZ} (empty 200), {@code %00} (bare 400),
 * {@code \} or {@code %5C} in the path (bare "400 Invalid URI"), and a space in the request line
 * (505: not HTTP at all).
 */
public final class RequestFuzzer {
  private static final List<String> CONTENT_TYPES =
      List.of(
          "application/json",
          "application/json; charset=utf-8",
          "application/json;charset=UTF-8",
          "APPLICATION/JSON",
          "application/json; charset=ISO-8859-1",
          "application/json; charset=nonsense",
          "application/problem+json",
          "application/merge-patch+json",
          "text/json",
          "text/plain",
          "application/xml",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=zz",
          "application/octet-stream",
          "garbage",
          "application/",
          "/json",
          "*/*",
          "application/*",
          "application/json; charset=\"",
          "application/json;;",
          "a/b/c");
  private static final List<String> ACCEPTS =
      List.of(
          "*/*",
          "application/json",
          "application/problem+json",
          "application/xml",
          "text/html",
          "text/event-stream",
          "application/json;q=0",
          "garbage",
          "text/html, application/json;q=0.1",
          "*/*;q=x");
  private static final List<String> SESSION_FIELDS =
      List.of("ttl", "ttlMillis", "name", "lockDelay", "lockDelayMillis");
  private static final List<String> ACQUIRE_FIELDS = List.of("mode", "wait", "waitMillis", "owner");

  /** Abandoned polls in a burst: one more than a session may have waiting. */
  private static final int BURST = 5;

  private final FuzzValues values;
  private final FuzzTargets targets;
  private final BatchBodies batches;
  private final GrantPolls polls;
  private final Deque<FuzzRequest> pending = new ArrayDeque<>();

  public RequestFuzzer(Random random, FuzzTargets targets) {
    this.values = new FuzzValues(random);
    this.targets = targets;
    this.batches = new BatchBodies(values, targets, this::name);
    this.polls = new GrantPolls(values);
  }

  /** The next request; never one the container would answer itself. */
  public FuzzRequest next() {
    if (!pending.isEmpty()) {
      return pending.removeFirst();
    }
    while (true) {
      FuzzRequest request = generate();
      if (!FuzzValues.answeredByContainer(request.path())) {
        return request;
      }
    }
  }

  /**
   * What the server answered to {@code request}: a grant poll's {@code next} becomes the {@code
   * after} of polls of that session to come, so that they wait for the next ending.
   */
  public void heard(FuzzRequest request, Reply reply) {
    if (request.aim() instanceof Aim.GrantPoll poll && reply.status() == 200) {
      FuzzJudge.object(reply.body())
          .map(body -> body.get("next"))
          .filter(JsonNumber.class::isInstance)
          .ifPresent(next -> polls.answered(poll.session(), ((JsonNumber) next).longValue()));
    }
  }

  /** A fifth of the requests go to the batch and the grant channel, the rest as before. */
  private FuzzRequest generate() {
    int aim = values.random().nextInt(100);
    if (aim < 13) {
      return batch();
    }
    if (aim < 20) {
      return grantPoll();
    }
    return singleCall();
  }

  private FuzzRequest singleCall() {
    int endpoint = values.random().nextInt(100);
    if (endpoint < 8) {
      return openSession().aimedAt(new Call("session-open"));
    }
    if (endpoint < 28) {
      FuzzRequest call =
          endpoint < 14
              ? sessionCall("GET", "")
              : endpoint < 22 ? sessionCall("POST", "/keepalive") : sessionCall("DELETE", "");
      return call.aimedAt(new Call("session"));
    }
    if (endpoint < 74) {
      FuzzRequest call =
          endpoint < 52 ? lockCall("PUT") : endpoint < 64 ? lockCall("DELETE") : lockCall("GET");
      return call.aimedAt(new Call("lock"));
    }
    if (endpoint < 80) {
      return list().aimedAt(new Call("list"));
    }
    if (endpoint < 88) {
      return fencing().aimedAt(new Call("fencing"));
    }
    if (endpoint < 91) {
      return events();
    }
    return oddMethod().aimedAt(new Call("odd-method"));
  }

  /**
   * A batch with a generated body. Half are sent as a client would (a fuzz session's bearer token,
   * JSON, no odd header), so that most of those reach the operations; the others with any token and
   * headers. A fuzz token acts for its own session, and the body's operations say whose they are.
   */
  private FuzzRequest batch() {
    if (values.chance(50)) {
      int which = values.random().nextInt(targets.fuzzSessions().size());
      BatchBodies.Generated body = batches.next(Optional.of(targets.fuzzSessions().get(which)));
      return plain(
          "POST",
          "/api/v1/batch",
          targets.fuzzTokens().get(which),
          body.body(),
          body.mustNotSucceed(),
          new Aim.Batch(body.operations()));
    }
    String token = token();
    int index = token == null ? -1 : targets.fuzzTokens().indexOf(token);
    Optional<String> tokenSession =
        index < 0 ? Optional.empty() : Optional.of(targets.fuzzSessions().get(index));
    BatchBodies.Generated body = batches.next(tokenSession);
    return build(
            "POST",
            "/api/v1/batch",
            token,
            body.body(),
            body.mustNotSucceed(),
            true,
            tokenSession.isPresent())
        .aimedAt(new Aim.Batch(body.operations()));
  }

  /**
   * A poll of a session's grant channel: half of a fuzz session with its own token and no odd
   * header (so that they are answered, and wait), the others of any session with any token and
   * headers. Now and then a burst of abandoned polls of a fuzz session first, so that the poll
   * after them may meet the session's limit of waiting polls.
   */
  private FuzzRequest grantPoll() {
    if (values.chance(50)) {
      int which = values.random().nextInt(targets.fuzzSessions().size());
      String session = targets.fuzzSessions().get(which);
      String token = targets.fuzzTokens().get(which);
      String grants = "/api/v1/sessions/" + session + "/grants";
      if (values.chance(8)) {
        for (int i = 0; i < BURST; i++) {
          pending.add(
              plain(
                      "GET",
                      grants + polls.waiting(session),
                      token,
                      null,
                      false,
                      new Aim.AbandonedPoll())
                  .asRaw());
        }
      }
      GrantPolls.Query query = polls.next(session, true);
      pending.add(plain("GET", grants + query.text(), token, null, query.invalid(), query.aim()));
      return pending.removeFirst();
    }
    String id = sessionId(60);
    String token = token();
    GrantPolls.Query query = polls.next(id, targets.fuzzSessions().contains(id));
    String path = "/api/v1/sessions/" + id + "/grants" + query.text();
    return build("GET", path, token, null, query.invalid(), true, tokenActsFor(id, token))
        .aimedAt(query.aim());
  }

  /** A request as a client would send it: its bearer token, a JSON body, no other header. */
  private static FuzzRequest plain(
      String method, String path, String token, byte[] body, boolean mustNotSucceed, Aim aim) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    headers.add(Map.entry("Authorization", "Bearer " + token));
    if (body != null) {
      headers.add(Map.entry("Content-Type", "application/json"));
    }
    return new FuzzRequest(method, path, headers, body, false, mustNotSucceed, aim);
  }

  private FuzzRequest openSession() {
    byte[] body = values.body(SESSION_FIELDS, this::goodSessionField);
    return build("POST", "/api/v1/sessions", null, body, false, false, false);
  }

  private String goodSessionField(String field) {
    return switch (field) {
      case "ttl" -> values.quoted(values.ttlValue());
      case "ttlMillis" ->
          Long.toString(
              values.pick(List.of(1_000L, 999L, 3_600_001L, 10_000L, -1L, Long.MAX_VALUE)));
      case "lockDelay" -> values.quoted(values.lockDelayValue());
      case "lockDelayMillis" -> Long.toString(values.pick(List.of(0L, 60_000L, 60_001L, -5L)));
      default -> values.quoted(values.text());
    };
  }

  private FuzzRequest sessionCall(String method, String suffix) {
    String id = sessionId(30);
    String token = token();
    // Deleting a fuzz-owned session with its own token would leave the rest of the run without
    // it; a mangled token tests the same door.
    if (method.equals("DELETE")
        && token != null
        && targets.fuzzTokens().contains(token)
        && targets.fuzzSessions().indexOf(id) == targets.fuzzTokens().indexOf(token)) {
      token = token + "x";
    }
    byte[] body =
        method.equals("POST") && values.chance(20)
            ? values.body(SESSION_FIELDS, this::goodSessionField)
            : null;
    String path = "/api/v1/sessions/" + id + suffix;
    if (id.isEmpty() && suffix.isEmpty()) {
      path = "/api/v1/sessions/";
    }
    boolean actsForItsSession = tokenActsFor(id, token);
    return build(
        method,
        path,
        token,
        body,
        false,
        !method.equals("GET"),
        actsForItsSession && !method.equals("DELETE"));
  }

  /**
   * A session id for a path: the known session's (30 %), a fuzz session's ({@code fuzzPercent}), or
   * one that is broken or not there.
   */
  private String sessionId(int fuzzPercent) {
    int which = values.random().nextInt(100);
    if (which < 30) {
      return targets.knownSession();
    }
    if (which < 30 + fuzzPercent) {
      return values.pick(targets.fuzzSessions());
    }
    return values.pathOf(
        values.pick(
            List.of(
                "no-such-session",
                "x".repeat(300),
                "a.b",
                "%",
                "é",
                "..x",
                targets.knownSession() + "x",
                "")),
        false);
  }

  /** The token is the fuzz session's whose id this is. */
  private boolean tokenActsFor(String id, String token) {
    return token != null
        && targets.fuzzSessions().contains(id)
        && targets.fuzzTokens().indexOf(token) == targets.fuzzSessions().indexOf(id);
  }

  private FuzzRequest lockCall(String method) {
    String name = name();
    boolean semicolons = true;
    String path = "/api/v1/locks/" + values.pathOf(name, semicolons);
    if (method.equals("DELETE") && values.chance(20)) {
      path +=
          "?queued="
              + values.pick(List.of("true", "false", "yes", "", "TRUE", "1", "true&queued=false"));
    }
    byte[] body = method.equals("PUT") ? values.body(ACQUIRE_FIELDS, this::goodAcquireField) : null;
    boolean invalid = !FuzzValues.validName(name) || path.contains(";");
    if (values.chance(8) && !name.isEmpty()) {
      return rawUtf8Name(method, name, body);
    }
    if (values.chance(4)) {
      path += values.pick(List.of("%FF", "%C0%AF", "%E2%82", "%80", "%ED%A0%80"));
      invalid = true;
    }
    if (!method.equals("PUT") && values.chance(6)) {
      // A body on GET or DELETE, which java.net.http will not send: over a plain socket.
      byte[] unwanted = values.body(ACQUIRE_FIELDS, this::goodAcquireField);
      return build(method, path, token(), unwanted == null ? new byte[] {'{', '}'} : unwanted, true)
          .asRaw();
    }
    if (method.equals("GET")) {
      return build(method, path, null, body, invalid, false, false);
    }
    String token = token();
    return build(
        method,
        path,
        token,
        body,
        invalid,
        true,
        token != null && targets.fuzzTokens().contains(token));
  }

  /** A name with raw (unencoded) UTF-8 in the request line: the app must refuse it itself. */
  private FuzzRequest rawUtf8Name(String method, String name, byte[] body) {
    String path =
        "/api/v1/locks/" + values.pathOf(name, false) + values.pick(List.of("é", "中", "😀", "ü"));
    return build(method, path, method.equals("GET") ? null : token(), body, true, false, false)
        .asRaw();
  }

  private String goodAcquireField(String field) {
    return switch (field) {
      case "mode" -> values.quoted(values.mode());
      case "wait" -> values.quoted(values.waitValue());
      case "waitMillis" ->
          Long.toString(values.pick(List.of(0L, 10L, 20L, -1L, 300_001L, Long.MAX_VALUE)));
      default -> values.quoted(values.text());
    };
  }

  private FuzzRequest list() {
    String prefix =
        switch (values.random().nextInt(5)) {
          case 0 -> "p".repeat(257 + values.random().nextInt(50));
          case 1 -> values.pathOf(values.text(), false);
          case 2 -> targets.prefix();
          case 3 -> values.pathOf(name(), false) + "&prefix=" + targets.prefix();
          default -> "";
        };
    String query =
        values.chance(80)
            ? "?prefix=" + prefix
            : values.pick(List.of("", "?", "?prefix", "?other=1", "?prefix=&prefix=x"));
    return build("GET", "/api/v1/locks" + query, null, null, false, false, false);
  }

  private FuzzRequest fencing() {
    String name = name();
    String token =
        values.pick(
            List.of(
                "0",
                "1",
                "42",
                Long.toString(Long.MAX_VALUE),
                "9223372036854775808",
                "-1",
                "abc",
                "1e3",
                "0x10",
                "%20",
                "00012",
                "1.5",
                "%2B1",
                "99999999999999999999999"));
    String path = "/api/v1/locks/" + values.pathOf(name, true) + "/fencing/" + token;
    return build(
        "GET", path, null, null, !FuzzValues.validName(name) || path.contains(";"), false, false);
  }

  private FuzzRequest events() {
    List<String> params = new ArrayList<>();
    int count = values.random().nextInt(4);
    for (int i = 0; i < count; i++) {
      params.add(
          switch (values.random().nextInt(6)) {
            case 0 ->
                "prefix="
                    + values.pathOf(
                        values.chance(50)
                            ? targets.prefix()
                            : "p".repeat(250 + values.random().nextInt(20)),
                        false);
            case 1 -> "name=" + values.pathOf(name(), false);
            case 2 ->
                "since="
                    + values.pick(
                        List.of(
                            "-1",
                            "abc",
                            "0",
                            "99999999999999999999",
                            "1e3",
                            "",
                            "%201",
                            "9223372036854775807"));
            case 3 -> values.pick(List.of("x=1", "prefix", "name", "since", "=", "&&"));
            case 4 -> "name=" + values.pathOf(values.pick(targets.knownLocks()), false);
            default -> "prefix=" + targets.prefix() + "&name=" + values.pathOf(name(), false);
          });
    }
    // A valid stream must not change anything either, and closing it at once is the point.
    String path = "/api/v1/events" + (params.isEmpty() ? "" : "?" + String.join("&", params));
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (values.chance(30)) {
      headers.add(
          Map.entry(
              "Last-Event-ID",
              values.pick(List.of("-5", "x", "1", "", "1.0", "18446744073709551616"))));
    }
    return new FuzzRequest("GET", path, headers, null, false, false, new Call("events"));
  }

  private FuzzRequest oddMethod() {
    String method =
        values.pick(List.of("PATCH", "OPTIONS", "POST", "PUT", "DELETE", "FOO", "TRACE"));
    String path =
        values.pick(
            List.of(
                "/api/v1/sessions",
                "/api/v1/locks",
                "/api/v1/locks/" + targets.prefix() + "x",
                "/api/v1/sessions/" + targets.knownSession() + "/keepalive",
                "/api/v1/events",
                "/api/v1/nothing",
                "/api/v1/locks/" + targets.prefix() + "x/fencing/1",
                "/api/v1/batch",
                "/api/v1/sessions/" + values.pick(targets.fuzzSessions()) + "/grants?wait=PT0S"));
    boolean bodyAllowed = !method.equals("DELETE");
    if (method.equals("TRACE")) {
      return build(method, path, token(), null, true).asRaw();
    }
    return build(
        method,
        path,
        token(),
        bodyAllowed && values.chance(30)
            ? values.body(ACQUIRE_FIELDS, this::goodAcquireField)
            : null,
        false,
        false,
        false);
  }

  /** A name under the fuzzer's prefix, a meeting name, or one of the known locks; maybe broken. */
  private String name() {
    if (values.chance(20)) {
      String known = values.pick(targets.knownLocks());
      return values.chance(60) ? known : values.lockName(known);
    }
    if (values.chance(8)) {
      // Where batches queue waits: single calls take over, release and withdraw them.
      return targets.meetingName(values.random().nextInt(FuzzTargets.MEETING_NAMES));
    }
    return values.lockName(targets.prefix() + "own/");
  }

  /**
   * Every kind of Authorization value: none, the fuzzer's own (also in lower-case "bearer"),
   * another session's, the known session's with its secret or id changed, malformed ones.
   */
  private String token() {
    String known = targets.knownToken();
    String knownId = known.substring(0, known.indexOf('.'));
    String knownSecret = known.substring(known.indexOf('.') + 1);
    String fuzz = values.pick(targets.fuzzTokens());
    String fuzzSecret = fuzz.substring(fuzz.indexOf('.') + 1);
    return switch (values.random().nextInt(11)) {
      case 0 -> null;
      case 1, 2, 3 -> fuzz;
      case 4 -> knownId + "." + fuzzSecret;
      case 5 -> knownId + "." + flip(knownSecret);
      case 6 -> flip(knownId) + "." + knownSecret;
      case 7 -> values.pick(List.of("", ".", "a.b.c", ".x", "x.", "x", "a.", "%", "a b"));
      case 8 -> knownId + "." + knownSecret.substring(0, knownSecret.length() / 2);
      case 9 -> "x".repeat(600) + "." + "y".repeat(600);
      default -> fuzz + " trailing";
    };
  }

  private String flip(String s) {
    int at = values.random().nextInt(s.length());
    char c = s.charAt(at);
    return s.substring(0, at) + (c == 'A' ? 'B' : 'A') + s.substring(at + 1);
  }

  /**
   * Headers first: Authorization in a random style, Content-Type, Accept, duplicates. A call that
   * {@code needsAuth} must not succeed unless its token acts for the session the call is about
   * ({@code tokenActs}) and is sent as a bearer token; a second Authorization header makes that
   * unclear, so then it is not judged.
   */
  private FuzzRequest build(
      String method,
      String path,
      String token,
      byte[] body,
      boolean mustNotSucceed,
      boolean needsAuth,
      boolean tokenActs) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    boolean raw = false;
    if (token != null) {
      String scheme =
          values.pick(
              List.of(
                  "Bearer ",
                  "Bearer ",
                  "Bearer ",
                  "bearer ",
                  "BEARER  ",
                  "Basic ",
                  "Bearer\t",
                  "Token "));
      headers.add(Map.entry("Authorization", scheme + token));
      boolean second = values.chance(5);
      if (second) {
        headers.add(Map.entry("Authorization", "Bearer " + values.pick(targets.fuzzTokens())));
        raw = true;
      }
      boolean bearer = scheme.equalsIgnoreCase("Bearer ") || scheme.equals("BEARER  ");
      mustNotSucceed |= needsAuth && !second && !(tokenActs && bearer);
    } else {
      mustNotSucceed |= needsAuth;
    }
    if (body != null || values.chance(10)) {
      if (values.chance(85)) {
        headers.add(
            Map.entry(
                "Content-Type",
                values.chance(60) ? "application/json" : values.pick(CONTENT_TYPES)));
      }
      if (values.chance(5)) {
        headers.add(Map.entry("Content-Type", values.pick(CONTENT_TYPES)));
        raw = true;
      }
    }
    if (values.chance(15)) {
      headers.add(Map.entry("Accept", values.pick(ACCEPTS)));
    }
    if (values.chance(3)) {
      headers.add(Map.entry("Accept", values.pick(ACCEPTS)));
    }
    if (values.chance(5)) {
      headers.add(Map.entry("X-Forwarded-For", "999.1.1.1, <script>"));
    }
    if (values.chance(3)) {
      // Sent as they are over a plain socket (UTF-8 for the non-ASCII ones): never a 2xx.
      headers.add(
          Map.entry(
              values.pick(List.of("X-Fuzz", "Accept", "Content-Type", "Authorization")),
              values.pick(List.of("a\u0001b", "\u007f", "é", "中", "x\u001by", "\u0000"))));
      raw = true;
      mustNotSucceed = true;
    }
    return new FuzzRequest(method, path, headers, body, raw, mustNotSucceed, new Call("other"));
  }

  /** A request that must not succeed, with the usual headers around it. */
  private FuzzRequest build(
      String method, String path, String token, byte[] body, boolean mustNotSucceed) {
    return build(method, path, token, body, mustNotSucceed, false, false);
  }
}
