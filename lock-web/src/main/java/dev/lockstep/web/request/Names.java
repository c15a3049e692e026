package dev.lockstep.web.request;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.LockTableException;

/** Path and body words turned into domain values, or a 400 that says what was wrong. */
public final class Names {
  private Names() {}

  public static LockName lock(String raw) {
    String problem = raw == null ? "lock name is required" : LockName.problemWith(raw);
    if (problem != null) {
      throw new LockTableException(ProblemType.BAD_REQUEST, problem);
    }
    return new LockName(raw);
  }

  public static LockMode mode(String raw) {
    if (raw == null) {
      return LockMode.EXCLUSIVE;
    }
    return LockMode.fromWire(raw)
        .orElseThrow(
            () ->
                new LockTableException(
                    ProblemType.BAD_REQUEST, "mode must be \"exclusive\" or \"shared\""));
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
