package dev.lockstep.it.fuzz;

import dev.lockstep.it.fuzz.Aim.OperationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Bodies for {@code POST /api/v1/batch}, with what each operation may answer: lists of valid and
 * broken operations (wrong types, unknown ops and fields, missing fields, bad names, the known
 * session's locks, duplicate requestIds), too many operations, bodies over the limit, operations
 * naming other sessions, and bodies that are not a batch at all.
 */
final class BatchBodies {
  /** The body limit and the operation limit of the README. */
  private static final int MAX_BYTES = 64 * 1024;

  private static final int MAX_OPERATIONS = 64;
  private static final List<String> OPS =
      List.of("acquire", "release", "withdraw", "cancel", "keepalive");
  private static final List<String> UNKNOWN_OPS =
      List.of("{\"op\":\"fly\"}", "{\"op\":\"ACQUIRE\"}", "{\"op\":\"\"}", "{\"op\":1}", "{}");
  private static final List<String> NOT_OBJECTS = List.of("1", "null", "[]", "\"acquire\"", "true");

  /** A batch body, and what may come of it. */
  record Generated(byte[] body, Optional<List<OperationRule>> operations, boolean mustNotSucceed) {}

  /** One operation as JSON text, and what it may answer. */
  private record Operation(String json, OperationRule rule) {}

  private final FuzzValues values;
  private final FuzzTargets targets;
  private final Supplier<String> names;

  /** Counts the requestIds made, so that most are new. */
  private int serial;

  BatchBodies(FuzzValues values, FuzzTargets targets, Supplier<String> names) {
    this.values = values;
    this.targets = targets;
    this.names = names;
  }

  /**
   * A body for a batch sent with the token of {@code tokenSession} (empty: no fuzz session's token,
   * so the whole batch is refused anyway).
   */
  Generated next(Optional<String> tokenSession) {
    int kind = values.random().nextInt(100);
    if (kind < 50) {
      return list(
          operations(1 + values.random().nextInt(values.chance(10) ? 64 : 8), tokenSession));
    }
    if (kind < 56) {
      int count = MAX_OPERATIONS + 1 + values.random().nextInt(40);
      Generated tooMany = list(operations(count, tokenSession));
      return new Generated(tooMany.body(), tooMany.operations(), true);
    }
    if (kind < 59) {
      return new Generated(FuzzValues.utf8("{\"operations\":[]}"), Optional.empty(), true);
    }
    if (kind < 64) {
      return huge();
    }
    if (kind < 72) {
      return mixed(tokenSession);
    }
    if (kind < 80) {
      return list(sameRequestIds());
    }
    if (kind < 88) {
      return list(knownLocks());
    }
    // Anything else: not an object, no or a wrong operations field, mangled bytes.
    byte[] body = values.body(List.of("operations"), field -> array(operations(2, tokenSession)));
    return new Generated(body, Optional.empty(), false);
  }

  private Generated list(List<Operation> operations) {
    boolean unknownField = values.chance(3);
    String json =
        "{\"operations\":" + array(operations) + (unknownField ? ",\"atomic\":true}" : "}");
    byte[] body = FuzzValues.utf8(json);
    return new Generated(
        body,
        Optional.of(operations.stream().map(Operation::rule).toList()),
        unknownField || body.length > MAX_BYTES || operations.size() > MAX_OPERATIONS);
  }

  private static String array(List<Operation> operations) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < operations.size(); i++) {
      json.append(i == 0 ? "" : ",").append(operations.get(i).json());
    }
    return json.append(']').toString();
  }

  private List<Operation> operations(int count, Optional<String> tokenSession) {
    List<Operation> operations = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      operations.add(operation(values.chance(25) ? meetingName() : names.get(), tokenSession));
    }
    return operations;
  }

  /** A name both fuzz sessions acquire and release ({@link FuzzTargets#meetingName}). */
  private String meetingName() {
    return targets.meetingName(values.random().nextInt(FuzzTargets.MEETING_NAMES));
  }

  /** Over 64 KiB: a long owner in one operation, or many operations of long owners. */
  private Generated huge() {
    List<Operation> operations = new ArrayList<>();
    int count = values.chance(50) ? 1 : MAX_OPERATIONS;
    String owner = "o".repeat(MAX_BYTES / count + 1 + values.random().nextInt(4096));
    for (int i = 0; i < count; i++) {
      operations.add(
          new Operation(
              "{\"op\":\"acquire\",\"name\":"
                  + values.quoted(targets.prefix() + "own/huge")
                  + ",\"owner\":\""
                  + owner
                  + "\"}",
              new OperationRule("acquire", true, true)));
    }
    Generated generated = list(operations);
    return new Generated(generated.body(), generated.operations(), true);
  }

  /**
   * Operations of one session, named by one of them, and one that names another: the known session,
   * the other fuzz session, or one that does not exist. Two sessions named, so refused whole
   * whichever token acts (a second Authorization header may make either fuzz token act).
   */
  private Generated mixed(Optional<String> tokenSession) {
    List<Operation> operations = operations(values.random().nextInt(4), tokenSession);
    String own = tokenSession.orElseGet(() -> values.pick(targets.fuzzSessions()));
    List<String> others = new ArrayList<>(List.of(targets.knownSession(), "no-such-session"));
    targets.fuzzSessions().stream().filter(s -> !s.equals(own)).forEach(others::add);
    String other = values.pick(others);
    operations.add(
        values.random().nextInt(operations.size() + 1),
        new Operation(
            "{\"op\":\"keepalive\",\"session\":" + values.quoted(own) + "}",
            rule("keepalive", false)));
    String foreign =
        values.pick(
            List.of(
                "{\"op\":\"keepalive\",\"session\":" + values.quoted(other) + "}",
                "{\"op\":\"release\",\"name\":"
                    + values.quoted(values.pick(targets.knownLocks()))
                    + ",\"session\":"
                    + values.quoted(other)
                    + "}",
                "{\"op\":\"fly\",\"session\":" + values.quoted(other) + "}",
                "{\"op\":\"acquire\",\"name\":\"..\",\"session\":" + values.quoted(other) + "}"));
    operations.add(
        values.random().nextInt(operations.size() + 1),
        new Operation(foreign, new OperationRule("*", true, false)));
    Generated generated = list(operations);
    return new Generated(generated.body(), generated.operations(), true);
  }

  /** Acquires, cancels and withdraws sharing a few requestIds, so that they meet. */
  private List<Operation> sameRequestIds() {
    List<Operation> operations = new ArrayList<>();
    serial += 2;
    String name = meetingName();
    int count = 2 + values.random().nextInt(6);
    for (int i = 0; i < count; i++) {
      String requestId = "r" + values.pick(List.of(serial, serial, serial + 1));
      // Only meeting names: their waits are long, and a known lock's line must clear by the end.
      String target = values.chance(70) ? name : meetingName();
      operations.add(
          switch (values.random().nextInt(5)) {
            case 0, 1 ->
                acquire(
                    target,
                    ",\"requestId\":\""
                        + requestId
                        + "\",\"wait\":"
                        + values.quoted(values.pick(List.of("PT0S", "PT0.05S", "PT2S", "PT5S"))));
            case 2 -> cancel(target, ",\"requestId\":\"" + requestId + "\"");
            case 3 -> named("release", target, "");
            default -> named("withdraw", target, "");
          });
    }
    return operations;
  }

  /** Acquires, releases, withdraws and cancels of the known session's locks. */
  private List<Operation> knownLocks() {
    List<Operation> operations = new ArrayList<>();
    int count = 1 + values.random().nextInt(6);
    for (int i = 0; i < count; i++) {
      String known = values.pick(targets.knownLocks());
      String op = values.pick(OPS);
      operations.add(
          switch (op) {
            case "acquire" ->
                acquire(
                    known,
                    values.chance(50)
                        ? ",\"mode\":\"shared\""
                        : ",\"requestId\":" + requestId() + ",\"waitMillis\":20");
            case "cancel" -> cancel(known, ",\"requestId\":" + requestId());
            case "keepalive" -> new Operation("{\"op\":\"keepalive\"}", rule("keepalive", false));
            default -> named(op, known, "");
          });
    }
    return operations;
  }

  /** One operation: of a known op with good and bad fields, or not one at all. */
  private Operation operation(String name, Optional<String> tokenSession) {
    String session =
        tokenSession.isPresent() && values.chance(10)
            ? ",\"session\":" + values.quoted(tokenSession.get())
            : "";
    int kind = values.random().nextInt(100);
    if (kind < 35) {
      return acquire(name, session + acquireFields());
    }
    if (kind < 55) {
      return named("release", name, session);
    }
    if (kind < 63) {
      return named("withdraw", name, session);
    }
    if (kind < 71) {
      return cancel(name, session + (values.chance(80) ? ",\"requestId\":" + requestId() : ""));
    }
    if (kind < 79) {
      return new Operation("{\"op\":\"keepalive\"" + session + "}", rule("keepalive", false));
    }
    if (kind < 84) {
      return new Operation(values.pick(UNKNOWN_OPS), rule("*", true));
    }
    if (kind < 87) {
      return new Operation(values.pick(NOT_OBJECTS), rule("*", true));
    }
    if (kind < 91) {
      // An unknown field, or a known one of the wrong type: refused whatever the op (keep-alive
      // knows no name, release no mode or owner).
      String op = values.pick(OPS);
      String field =
          values.pick(
              List.of("\"colour\":\"red\"", "\"session\":1", "\"mode\":[]", "\"owner\":{}"));
      String named =
          values.chance(20) ? "\"name\":true" : "\"name\":" + values.quoted(name) + "," + field;
      return new Operation("{\"op\":\"" + op + "\"," + named + "}", rule(op, true));
    }
    if (kind < 94) {
      // The op twice: which one counts is the JSON reader's business, not a rule.
      return new Operation(
          "{\"op\":\"acquire\",\"op\":\"release\",\"name\":" + values.quoted(name) + "}",
          rule("*", !FuzzValues.validName(name)));
    }
    // A name that is missing or not a string.
    String op = values.pick(List.of("acquire", "release", "withdraw", "cancel"));
    return new Operation(
        "{\"op\":\"" + op + "\"" + values.pick(List.of("", ",\"name\":null", ",\"name\":7")) + "}",
        rule(op, true));
  }

  private String acquireFields() {
    StringBuilder fields = new StringBuilder();
    if (values.chance(60)) {
      fields
          .append(",\"mode\":")
          .append(
              values.chance(70)
                  ? values.quoted(values.pick(List.of("exclusive", "shared")))
                  : values.chance(70) ? values.quoted(values.mode()) : values.anyJson());
    }
    if (values.chance(40)) {
      fields
          .append(values.chance(70) ? ",\"wait\":" : ",\"waitMillis\":")
          .append(
              values.chance(70)
                  ? values.pick(List.of("\"PT0S\"", "\"PT0.02S\"", "\"PT0.1S\"", "0", "20"))
                  : values.chance(80)
                      ? values.pick(
                          List.of("\"PT5M0.001S\"", "\"PT-1S\"", "\"P1D\"", "-1", "300001", "1.5"))
                      : values.anyJson());
    }
    if (values.chance(30)) {
      fields.append(",\"owner\":").append(values.quoted(values.text()));
    }
    if (values.chance(60)) {
      fields.append(",\"requestId\":").append(requestId());
    }
    return fields.toString();
  }

  /**
   * A requestId: mostly a new one or one of the last few (so that an acquire and a cancel of the
   * same request meet; a session refuses a requestId it has seen cancelled, so new ones are needed
   * for acquires to be granted or queued), else too long, odd or of a wrong type.
   */
  private String requestId() {
    if (values.chance(80)) {
      serial += values.chance(60) ? 1 : 0;
      return values.quoted("q" + Math.max(0, serial - values.random().nextInt(3)));
    }
    return values.pick(
        List.of(
            values.quoted("x".repeat(65)),
            values.quoted("x".repeat(64)),
            values.quoted("a\u0001b"),
            values.quoted(""),
            "1",
            "null",
            "[]"));
  }

  private Operation acquire(String name, String fields) {
    return new Operation(
        "{\"op\":\"acquire\",\"name\":" + values.quoted(name) + fields + "}",
        new OperationRule(
            "acquire", !FuzzValues.validName(name), !targets.knownLocks().contains(name)));
  }

  private Operation cancel(String name, String fields) {
    return new Operation(
        "{\"op\":\"cancel\",\"name\":" + values.quoted(name) + fields + "}",
        new OperationRule(
            "cancel", !FuzzValues.validName(name) || !fields.contains("requestId"), true));
  }

  /** A release or withdraw: a release of a known lock cannot succeed, the fuzzer never holds it. */
  private Operation named(String op, String name, String fields) {
    boolean forbidden =
        !FuzzValues.validName(name)
            || (op.equals("release") && targets.knownLocks().contains(name));
    return new Operation(
        "{\"op\":\"" + op + "\",\"name\":" + values.quoted(name) + fields + "}",
        rule(op, forbidden));
  }

  private static OperationRule rule(String op, boolean mustNotSucceed) {
    return new OperationRule(op, mustNotSucceed, true);
  }
}
