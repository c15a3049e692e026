package dev.lockstep.api;

import java.util.Locale;
import java.util.Optional;

/** How a lock is held: by one session alone, or by any number of sessions together. */
public enum LockMode {
  EXCLUSIVE,
  SHARED;

  /** The word the wire uses: {@code exclusive} or {@code shared}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the wire word exactly (lower case); anything else is empty. */
  public static Optional<LockMode> fromWire(String word) {
    for (LockMode mode : values()) {
      if (mode.wireName().equals(word)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a request in this mode can be held together with a holder in {@code held} mode: only
   * shared with shared. The one statement of the rule; the rule is symmetric, so it also says
   * whether two requests in line block each other.
   */
  public boolean compatibleWith(LockMode held) {
    return this == SHARED && held == SHARED;
  }
}
