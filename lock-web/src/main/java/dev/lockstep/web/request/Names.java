package dev.lockstep.web.request;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.LockTableException;
import java.util.Optional;

/** Path and body words turned into domain values, or a 400 that says what was wrong. */
public final class Names {
  private Names() {}

  public static LockName lock(String raw) {
    Optional<String> problem =
        raw == null ? Optional.of("lock name is required") : LockName.problemWith(raw);
    if (problem.isPresent()) {
      throw new LockTableException(ProblemType.BAD_REQUEST, problem.get());
    }
    return new LockName(raw);
  }

  /**
   * The mode a body names. A body that names none means exclusive; that default is the caller's,
   * next to the documented shape of its body.
   */
  public static LockMode mode(String raw) {
    return LockMode.fromWire(raw)
        .orElseThrow(
            () ->
                new LockTableException(
                    ProblemType.BAD_REQUEST, "mode must be \"exclusive\" or \"shared\""));
  }

  /**
   * The page size a query asks for: {@code fallback} when it asks for none. Only the form is
   * checked here; the lock table checks the bounds.
   */
  public static int pageLimit(String raw, int fallback) {
    if (raw == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new LockTableException(ProblemType.BAD_REQUEST, "limit is an integer");
    }
  }

  /** A query flag: absent or {@code false} is false, {@code true} true, anything else a 400. */
  public static boolean flag(String what, String raw) {
    if (raw == null || raw.equals("false")) {
      return false;
    }
    if (raw.equals("true")) {
      return true;
    }
    throw new LockTableException(ProblemType.BAD_REQUEST, what + " is true or false");
  }

  /** A sequence number of a query ({@code after}): absent is 0, else an integer of 0 or more. */
  public static long sequence(String what, String raw) {
    if (raw == null) {
      return 0;
    }
    try {
      long value = Long.parseLong(raw);
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // falls through to the one message below
    }
    throw new LockTableException(ProblemType.BAD_REQUEST, what + " is an integer of 0 or more");
  }

  public static long fencingToken(String raw) {
    try {
      long token = Long.parseLong(raw);
      if (token > 0) {
        return token;
      }
    } catch (NumberFormatException e) {
      // falls through to the one message below
    }
    throw new LockTableException(ProblemType.BAD_REQUEST, "a fencing token is a positive integer");
  }
}
