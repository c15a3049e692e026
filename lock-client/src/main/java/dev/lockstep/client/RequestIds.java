package dev.lockstep.client;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Names for acquire requests, so that one given up can be cancelled by its name: 96 random bits, 16
 * characters, unique among a session's requests for as long as the server remembers them.
 */
final class RequestIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private RequestIds() {}

  static String next() {
    byte[] bits = new byte[12];
    RANDOM.nextBytes(bits);
    return ENCODER.encodeToString(bits);
  }
}
