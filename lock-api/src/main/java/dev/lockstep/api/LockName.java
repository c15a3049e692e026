package dev.lockstep.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A lock's path-like name: 1 to 256 characters of {@code A-Z a-z 0-9 . _ - : /}, no empty segment,
 * no {@code .} or {@code ..} segment, no leading or trailing {@code /}.
 */
public record LockName(String value) implements Comparable<LockName> {
  public static final int MAX_LENGTH = 256;

  public LockName {
    Objects.requireNonNull(value, "lock name is required");
    Optional<String> problem = problemWith(value);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
  }

  /** Whether {@code candidate} is a valid name; never throws. */
  public static boolean isValid(String candidate) {
    return candidate != null && problemWith(candidate).isEmpty();
  }

  /** Why {@code candidate} is not a valid name; empty when it is one. */
  public static Optional<String> problemWith(String candidate) {
    if (candidate.isEmpty()) {
      return Optional.of("lock name must not be empty");
    }
    if (candidate.length() > MAX_LENGTH) {
      return Optional.of("lock name is longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      boolean allowed =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-'
              || c == ':'
              || c == '/';
      if (!allowed) {
        return Optional.of("lock name has a character outside A-Z a-z 0-9 . _ - : / at index " + i);
      }
    }
    // split with limit -1 keeps empty leading and trailing segments, so "/a", "a/" and "a//b" show.
    for (String segment : candidate.split("/", -1)) {
      if (segment.isEmpty()) {
        return Optional.of("lock name has an empty segment (leading, trailing or double '/')");
      }
      if (segment.equals(".") || segment.equals("..")) {
        return Optional.of("lock name has a '" + segment + "' segment");
      }
    }
    return Optional.empty();
  }

  @Override
  public int compareTo(LockName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
