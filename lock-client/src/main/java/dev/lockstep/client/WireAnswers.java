package dev.lockstep.client;

import dev.lockstep.api.Problem;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the lock server's answers: JSON text bound with JSON-B here, so that a problem+json answer
 * is understood whatever providers the runtime registers, and each problem turned into the client's
 * exception for it. {@code where} names the server (or group) in messages.
 */
final class WireAnswers {
  private static final String NOT_LEADER = "/not-leader";
  private static volatile Jsonb jsonb;

  private WireAnswers() {}

  static <T> T read(Response answer, int expected, Class<T> type, String where) {
    return read(answer, expected, body -> json().fromJson(body, type), where);
  }

  static <T> T read(Response answer, int expected, Function<String, T> parser, String where) {
    try (answer) {
      if (answer.getStatus() != expected) {
        throw failure(answer, where);
      }
      String body = answer.readEntity(String.class);
      if (body == null || body.isBlank()) {
        // Payara answers some malformed paths with an empty 200: never take that for success.
        throw new ServerException(answer.getStatus(), "empty answer from the lock server");
      }
      return parser.apply(body);
    } catch (ProcessingException e) {
      throw unreachable(where, e);
    }
  }

  static void expectNoContent(Response answer, String where) {
    try (answer) {
      if (answer.getStatus() != 204) {
        throw failure(answer, where);
      }
    } catch (ProcessingException e) {
      throw unreachable(where, e);
    }
  }

  static ServerException unreachable(String where, Throwable e) {
    return new ServerException("lock server at " + where + " unreachable: " + e.getMessage(), e);
  }

  /**
   * The leader a standby's 503 not-leader answer names (empty string: it names none); empty when
   * the answer is not that. The body is buffered, so that a caller can still read it. Never throws:
   * a body that cannot be read is no not-leader answer (the caller's read then fails as usual).
   */
  static Optional<String> notLeader(Response answer) {
    if (answer.getStatus() != 503) {
      return Optional.empty();
    }
    try {
      answer.bufferEntity();
    } catch (ProcessingException | IllegalStateException e) {
      return Optional.empty();
    }
    return problemOf(answer)
        .filter(p -> p.type() != null && p.type().endsWith(NOT_LEADER))
        .map(p -> p.leader() == null ? "" : p.leader());
  }

  static RuntimeException failure(Response answer, String where) {
    return Refusals.of(answer.getStatus(), problemOf(answer), where);
  }

  /** The answer's problem+json, if it is one (the container's own error pages are not). */
  private static Optional<Problem> problemOf(Response answer) {
    try {
      String body = answer.readEntity(String.class);
      return body == null || body.isBlank()
          ? Optional.empty()
          : Optional.ofNullable(json().fromJson(body, Problem.class));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * JSON-B, created on first use: without an implementation on the class path (Yasson), the call
   * says which artifact to add rather than failing with a bare {@code ExceptionInInitializerError}.
   */
  static Jsonb json() {
    Jsonb created = jsonb;
    if (created == null) {
      synchronized (WireAnswers.class) {
        if (jsonb == null) {
          jsonb = Providers.jsonb(JsonbBuilder::create);
        }
        created = jsonb;
      }
    }
    return created;
  }
}
