package dev.lockstep.web.request;

import java.util.Optional;

/** The token of an {@code Authorization: Bearer <token>} header. */
public final class Bearer {
  private static final String SCHEME = "Bearer ";

  private Bearer() {}

  /**
   * The token the header carries, never blank; empty when there is no header or it is not of this
   * scheme.
   */
  public static Optional<String> token(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    String trimmed = authorization.trim();
    if (trimmed.length() < SCHEME.length()
        || !trimmed.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return Optional.empty();
    }
    return Optional.of(trimmed.substring(SCHEME.length()).trim());
  }

  /**
   * What the lock service authenticates: the header's token, or the empty token when it carries
   * none. No session has the empty token, and the lock table answers it with the same 401 as a
   * malformed one ("a session token is required"), so a missing header needs no rule here.
   */
  public static String presented(String authorization) {
    return token(authorization).orElse("");
  }
}
