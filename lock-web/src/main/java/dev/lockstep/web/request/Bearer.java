package dev.lockstep.web.request;

/** The token of an {@code Authorization: Bearer <token>} header; null when there is none. */
public final class Bearer {
  private Bearer() {}

  public static String token(String authorization) {
    if (authorization == null) {
      return null;
    }
    String trimmed = authorization.trim();
    if (trimmed.length() < 7 || !trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return trimmed.substring(7).trim();
  }
}
