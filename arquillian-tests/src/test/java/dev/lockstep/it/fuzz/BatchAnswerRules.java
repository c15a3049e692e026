package dev.lockstep.it.fuzz;

import dev.lockstep.it.fuzz.Aim.OperationRule;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of a 200 batch answer (README, "What the server adds to the contract"): {@code
 * {"results":[...],"revision"}} with one result per operation sent, in order, each a success of its
 * op with that success's body ({@code 200} with {@code grant} or {@code session}, {@code 202} with
 * {@code queued}, {@code 204} with nothing) or a 4xx with its problem; never a 5xx inside either.
 */
final class BatchAnswerRules {
  private static final Set<String> ANSWERS_NOTHING = Set.of("release", "withdraw", "cancel");

  /** An operation of a body whose operations were not counted: any well-formed result. */
  private static final OperationRule ANY = new OperationRule("*", false, true);

  private BatchAnswerRules() {}

  static Optional<String> defect(Aim.Batch batch, Optional<JsonObject> body) {
    if (body.isEmpty()
        || !(body.get().get("results") instanceof JsonArray results)
        || !(body.get().get("revision") instanceof JsonNumber)) {
      return Optional.of("not {\"results\":[...],\"revision\"}");
    }
    if (batch.operations().isPresent() && batch.operations().get().size() != results.size()) {
      return Optional.of(
          results.size() + " results for " + batch.operations().get().size() + " operations");
    }
    for (int i = 0; i < results.size(); i++) {
      int at = i;
      OperationRule rule = batch.operations().map(rules -> rules.get(at)).orElse(ANY);
      Optional<String> defect = resultDefect(rule, results.get(i));
      if (defect.isPresent()) {
        return Optional.of("result " + i + " " + defect.get() + ": " + results.get(i));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> resultDefect(OperationRule rule, JsonValue value) {
    if (!(value instanceof JsonObject result)
        || !(result.get("status") instanceof JsonNumber number)
        || !number.isIntegral()) {
      return Optional.of("is not an object with a status");
    }
    int status = number.intValue();
    if (status >= 500) {
      return Optional.of("is a server error");
    }
    if (rule.mustNotSucceed() && status >= 200 && status < 300) {
      return Optional.of("succeeded against the contract (" + rule + ")");
    }
    if (status >= 400 && status < 500) {
      if (!only(result, "problem")) {
        return Optional.of("is a refusal with more than its problem");
      }
      return result.get("problem") instanceof JsonObject problem
          ? FuzzJudge.problemDefect(problem, status)
          : Optional.of("is a refusal without its problem");
    }
    String op = rule.op();
    return switch (status) {
      case 200 -> granted(rule, result);
      case 202 ->
          !op.equals("acquire") && !op.equals("*")
              ? Optional.of("queued a " + op)
              : queuedDefect(result);
      case 204 ->
          !ANSWERS_NOTHING.contains(op) && !op.equals("*")
              ? Optional.of("answered nothing to a " + op)
              : only(result) ? Optional.empty() : Optional.of("is a 204 with a body");
      default -> Optional.of("is none of 200, 202, 204 and a 4xx");
    };
  }

  /** A 200: an acquire's grant or a keep-alive's session, and nothing else. */
  private static Optional<String> granted(OperationRule rule, JsonObject result) {
    boolean grant = only(result, "grant") && result.get("grant") instanceof JsonObject;
    boolean session = only(result, "session") && result.get("session") instanceof JsonObject;
    if (grant && !rule.mayBeGranted()) {
      return Optional.of("granted a lock the known session holds");
    }
    return switch (rule.op()) {
      case "acquire" ->
          grant && grantDefect(result.getJsonObject("grant"))
              ? Optional.of("is a grant without its session and fencing token")
              : grant ? Optional.empty() : Optional.of("is an acquire's 200 without its grant");
      case "keepalive" ->
          session ? Optional.empty() : Optional.of("is a keep-alive's 200 without its session");
      case "*" -> grant || session ? Optional.empty() : Optional.of("is a 200 of neither kind");
      default -> Optional.of("is a 200 of a " + rule.op());
    };
  }

  private static boolean grantDefect(JsonObject grant) {
    return !(grant.get("session") instanceof JsonString)
        || !(grant.get("fencingToken") instanceof JsonNumber token)
        || token.longValue() <= 0;
  }

  private static Optional<String> queuedDefect(JsonObject result) {
    boolean ok =
        only(result, "queued")
            && result.get("queued") instanceof JsonObject queued
            && queued.get("name") instanceof JsonString
            && queued.get("requestId") instanceof JsonString
            && queued.get("position") instanceof JsonNumber;
    return ok ? Optional.empty() : Optional.of("is queued without name, requestId and position");
  }

  /** The result has its status and at most the one field that names its body. */
  private static boolean only(JsonObject result, String... field) {
    return result.keySet().stream().allMatch(k -> k.equals("status") || List.of(field).contains(k));
  }
}
