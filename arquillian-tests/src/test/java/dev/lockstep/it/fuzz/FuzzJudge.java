package dev.lockstep.it.fuzz;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Optional;

/**
 * The rules every answer keeps, whatever was sent: never a 5xx; an answer at all (a grant poll by
 * the end of its wait); every 4xx a problem document (application/problem+json with type, title and
 * status); never a 2xx for what the contract forbids; and the bodies of a batch's and a grant
 * poll's answers as the README describes them.
 */
public final class FuzzJudge {
  private FuzzJudge() {}

  /** The broken rule, if any; never throws, so one run reports every failure. */
  public static Optional<String> judge(FuzzRequest request, Reply reply) {
    if (request.aim() instanceof Aim.AbandonedPoll) {
      return Optional.empty(); // nobody reads its answer
    }
    int status = reply.status();
    String what = status + " " + shorten(reply.body()) + " <- " + request.describe();
    if (!reply.answered()) {
      return Optional.of("no answer: " + what);
    }
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
    if (status == 200 && request.aim() instanceof Aim.Batch batch) {
      return BatchAnswerRules.defect(batch, object(reply.body()))
          .map(defect -> "batch answer: " + defect + ": " + what);
    }
    if (status == 200 && request.aim() instanceof Aim.GrantPoll poll) {
      return pollDefect(poll, object(reply.body()))
          .map(defect -> "grant poll answer: " + defect + ": " + what);
    }
    return Optional.empty();
  }

  private static Optional<String> problemDefect(Reply reply) {
    if (!reply.contentType().orElse("").startsWith("application/problem+json")) {
      return Optional.of("not application/problem+json but " + reply.contentType());
    }
    return object(reply.body())
        .map(problem -> problemDefect(problem, reply.status()))
        .orElse(Optional.of("problem body is not a JSON object"));
  }

  /** A problem document's defect: it needs a type, a title and the status it is answered with. */
  static Optional<String> problemDefect(JsonObject problem, int status) {
    boolean ok =
        problem.get("type") instanceof JsonString
            && problem.get("title") instanceof JsonString
            && problem.get("status") instanceof JsonNumber n
            && n.isIntegral()
            && n.intValue() == status;
    return ok ? Optional.empty() : Optional.of("problem without type, title and the status");
  }

  /**
   * {@code {"endings":[...],"next","reset"}}: each ending has its {@code seq}, {@code name}, {@code
   * requestId} and is a grant (200) or a problem (a 4xx); without a reset every ending is after the
   * poll's {@code after}, and so is {@code next}.
   */
  private static Optional<String> pollDefect(Aim.GrantPoll poll, Optional<JsonObject> body) {
    if (body.isEmpty()
        || !(body.get().get("endings") instanceof JsonArray endings)
        || !(body.get().get("next") instanceof JsonNumber next)
        || !isBoolean(body.get().get("reset"))) {
      return Optional.of("not {\"endings\":[...],\"next\",\"reset\"}");
    }
    boolean reset = body.get().getBoolean("reset");
    long after = poll.after().orElse(0);
    if (!reset && poll.after().isPresent() && next.longValue() < after) {
      return Optional.of("next " + next + " is before after " + after);
    }
    for (JsonValue value : endings) {
      if (!(value instanceof JsonObject ending)
          || !(ending.get("seq") instanceof JsonNumber seq)
          || !(ending.get("name") instanceof JsonString)
          || !(ending.get("requestId") instanceof JsonString)
          || !(ending.get("status") instanceof JsonNumber status)) {
        return Optional.of("an ending without seq, name, requestId and status: " + value);
      }
      if (!reset && poll.after().isPresent() && seq.longValue() <= after) {
        return Optional.of("ending " + seq + " is not after " + after);
      }
      if (seq.longValue() > next.longValue()) {
        return Optional.of("ending " + seq + " is after next " + next);
      }
      Optional<String> defect =
          status.intValue() == 200
              ? (ending.get("grant") instanceof JsonObject
                  ? Optional.empty()
                  : Optional.of("a granted ending without its grant"))
              : status.intValue() >= 400 && status.intValue() < 500
                  ? (ending.get("problem") instanceof JsonObject problem
                      ? problemDefect(problem, status.intValue())
                      : Optional.of("a refused ending without its problem"))
                  : Optional.of("an ending of status " + status);
      if (defect.isPresent()) {
        return defect.map(d -> d + " in " + value);
      }
    }
    return Optional.empty();
  }

  private static boolean isBoolean(JsonValue value) {
    return value != null
        && (value.getValueType() == JsonValue.ValueType.TRUE
            || value.getValueType() == JsonValue.ValueType.FALSE);
  }

  static Optional<JsonObject> object(String body) {
    try (var reader = Json.createReader(new StringReader(body))) {
      return Optional.of(reader.readObject());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String shorten(String s) {
    String flat = s == null ? "" : s.replaceAll("\\s+", " ");
    return flat.length() > 160 ? flat.substring(0, 160) + "..." : flat;
  }
}
