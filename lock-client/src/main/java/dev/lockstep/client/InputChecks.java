package dev.lockstep.client;

import dev.lockstep.api.LockName;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What the façade refuses before any call, each with a message that says what to give. */
final class InputChecks {
  private InputChecks() {}

  /** A valid lock name (shared/API.md), else {@link IllegalArgumentException}. */
  static void name(String name) {
    Optional<String> problem =
        name == null ? Optional.of("lock name is required") : LockName.problemWith(name);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
  }

  /**
   * A lock name, or a prefix to watch: "" (every lock) or a lock name followed by '/' ("jobs/"
   * watches jobs/a and jobs/b/c).
   */
  static void nameOrPrefix(String nameOrPrefix) {
    Objects.requireNonNull(nameOrPrefix, "nameOrPrefix: give \"\" to watch every lock");
    if (nameOrPrefix.isEmpty()) {
      return;
    }
    if (!nameOrPrefix.endsWith("/")) {
      name(nameOrPrefix);
      return;
    }
    Optional<String> problem =
        LockName.problemWith(nameOrPrefix.substring(0, nameOrPrefix.length() - 1));
    if (problem.isPresent()) {
      throw new IllegalArgumentException(
          "watch prefix '"
              + nameOrPrefix
              + "' is not a lock name followed by '/': "
              + problem.get());
    }
  }

  static Duration timeout(Duration timeout) {
    return Objects.requireNonNull(
        timeout, "timeout is required: Duration.ZERO tries once, acquire() waits without one");
  }
}
