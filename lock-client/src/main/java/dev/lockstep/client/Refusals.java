package dev.lockstep.client;

import dev.lockstep.api.LockView;
import dev.lockstep.api.Problem;
import java.util.List;
import java.util.Optional;

/**
 * A refusal of the server as the exception the client throws for it, the same whether the answer
 * came to a single call or as one result of a batch.
 */
final class Refusals {
  private Refusals() {}

  /**
   * The exception for {@code status} with its problem+json document, if the answer was one: a
   * conflict is {@link LockNotGrantedException}, not-held {@link LockLostException}, anything else
   * {@link ServerException} with the status (0 when the answer is not the lock service's own).
   */
  static RuntimeException of(int status, Optional<Problem> problem, String where) {
    Optional<Problem> answered = problem.filter(p -> p.type() != null);
    if (answered.isEmpty()) {
      // Not the lock service's answer: the container's own page, as while the server starts and
      // the application is not deployed yet (404). Taking that 404 for "your session is gone"
      // would lose a session that the restarted server still has; the server is not there yet.
      return new ServerException(
          "lock server at "
              + where
              + " not answering yet (is it the lock server's base URL?): HTTP "
              + status,
          null);
    }
    Problem p = answered.get();
    String detail = p.detail();
    if (status == 409 && p.type().endsWith("/conflict")) {
      LockView view =
          p.lock() == null
              ? null
              : new LockView(
                  p.lock(),
                  p.holders() == null || p.holders().isEmpty() ? LockView.FREE : LockView.HELD,
                  null,
                  p.holders() == null ? List.of() : p.holders(),
                  p.waiters() == null ? List.of() : p.waiters(),
                  0,
                  null);
      return new LockNotGrantedException(detail, view);
    }
    if (status == 409 && p.type().endsWith("/not-held")) {
      return new LockLostException(detail);
    }
    // The server's own words, and where they came from: with a wrong base URL that reaches the
    // server, its error page's 404 is a problem too, and only the URL tells the user what to fix.
    return new ServerException(status, detail + " (lock server at " + where + ")");
  }
}
