package dev.lockstep.client;

import dev.lockstep.api.LockMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One operation of a session, as it travels alone or in a {@code POST /api/v1/batch} (README, "What
 * the server adds to the contract"): which call, whose session (its token), and the call's fields.
 */
record Operation(
    Kind kind,
    String token,
    Optional<String> name,
    Optional<LockMode> mode,
    Optional<Duration> waitFor,
    Optional<String> owner,
    Optional<String> requestId) {

  /** The batch's {@code op} names. */
  enum Kind {
    ACQUIRE("acquire"),
    RELEASE("release"),
    WITHDRAW("withdraw"),
    CANCEL("cancel"),
    KEEPALIVE("keepalive");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }
  }

  static Operation acquire(
      String token, String name, LockMode mode, Duration wait, String owner, String requestId) {
    return new Operation(
        Kind.ACQUIRE,
        token,
        Optional.of(name),
        Optional.of(mode),
        Optional.of(wait),
        Optional.ofNullable(owner),
        Optional.of(requestId));
  }

  static Operation release(String token, String name) {
    return named(Kind.RELEASE, token, name, Optional.empty());
  }

  static Operation withdraw(String token, String name) {
    return named(Kind.WITHDRAW, token, name, Optional.empty());
  }

  static Operation cancel(String token, String name, String requestId) {
    return named(Kind.CANCEL, token, name, Optional.of(requestId));
  }

  static Operation keepAlive(String token) {
    return new Operation(
        Kind.KEEPALIVE,
        token,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static Operation named(Kind kind, String token, String name, Optional<String> requestId) {
    return new Operation(
        kind,
        token,
        Optional.of(name),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        requestId);
  }

  /** The operation as one element of the batch's {@code operations} array. */
  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("op", kind.wire);
    name.ifPresent(n -> json.put("name", n));
    mode.ifPresent(m -> json.put("mode", m.wireName()));
    waitFor.ifPresent(w -> json.put("wait", w.toString()));
    owner.ifPresent(o -> json.put("owner", o));
    requestId.ifPresent(r -> json.put("requestId", r));
    return json;
  }
}
