package dev.lockstep.lock.table;

import dev.lockstep.api.ProblemType;
import java.time.Duration;

/**
 * The checks of a request's own values against the server's limits, made before anything else so
 * that bad input is refused the same way whatever state the table is in. Each refusal is a {@code
 * bad-request} {@link LockTableException} naming the value and the bound it broke.
 */
final class RequestCheck {
  private RequestCheck() {}

  /** The TTL to use: the default when none was asked for; refused outside the server's bounds. */
  static Duration ttl(Duration asked, TableLimits limits) {
    Duration ttl = asked == null ? limits.defaultTtl() : asked;
    if (ttl.compareTo(limits.minTtl()) < 0 || ttl.compareTo(limits.maxTtl()) > 0) {
      throw badRequest(
          "ttl "
              + ttl
              + " is outside the server's bounds ["
              + limits.minTtl()
              + ", "
              + limits.maxTtl()
              + "]");
    }
    return ttl;
  }

  /** The lock-delay to use: none when none was asked for; refused outside [0, the maximum]. */
  static Duration lockDelay(Duration asked, TableLimits limits) {
    Duration delay = asked == null ? Duration.ZERO : asked;
    if (delay.isNegative() || delay.compareTo(limits.maxLockDelay()) > 0) {
      throw badRequest("lockDelay " + delay + " is outside [PT0S, " + limits.maxLockDelay() + "]");
    }
    return delay;
  }

  /** Refuses a wait outside [0, the maximum]. */
  static void waitWithin(Duration wait, TableLimits limits) {
    if (wait.isNegative() || wait.compareTo(limits.maxWait()) > 0) {
      throw badRequest("wait " + wait + " is outside [PT0S, " + limits.maxWait() + "]");
    }
  }

  /** Refuses a page size of the session listing outside [1, the maximum]. */
  static void pageLimit(int limit) {
    if (limit < 1 || limit > TableLimits.MAX_SESSION_PAGE) {
      throw badRequest("limit " + limit + " is outside [1, " + TableLimits.MAX_SESSION_PAGE + "]");
    }
  }

  /** Refuses text that is too long or has a control character; no text at all is fine. */
  static void text(String what, String text, int maxLength) {
    if (text == null) {
      return;
    }
    if (text.length() > maxLength) {
      throw badRequest(what + " is longer than " + maxLength + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        throw badRequest(what + " has a control character at index " + i);
      }
    }
  }

  private static LockTableException badRequest(String detail) {
    return new LockTableException(ProblemType.BAD_REQUEST, detail);
  }
}
