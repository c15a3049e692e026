package dev.lockstep.lock.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * A session's bearer token, {@code <session id>.<secret>}. The id part lets the server find the
 * session without a lookup by secret; the secret is only ever stored as its SHA-256 hash and
 * compared in constant time.
 */
public record SessionToken(String sessionId, String secret) {
  private static final int MAX_LENGTH = 256;

  public String value() {
    return sessionId + "." + secret;
  }

  /** Splits a presented token; malformed input is empty, never an exception. */
  public static Optional<SessionToken> parse(String presented) {
    if (presented == null || presented.isEmpty() || presented.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    int dot = presented.indexOf('.');
    if (dot <= 0 || dot == presented.length() - 1 || presented.indexOf('.', dot + 1) >= 0) {
      return Optional.empty();
    }
    return Optional.of(new SessionToken(presented.substring(0, dot), presented.substring(dot + 1)));
  }

  public byte[] secretHash() {
    return sha256(secret);
  }

  /** Constant-time comparison, so response timing tells nothing about how much matched. */
  public boolean matches(byte[] storedHash) {
    return MessageDigest.isEqual(secretHash(), storedHash);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    // Never print the secret, not even in a log line or an exception message.
    return "SessionToken[" + sessionId + ".***]";
  }
}
