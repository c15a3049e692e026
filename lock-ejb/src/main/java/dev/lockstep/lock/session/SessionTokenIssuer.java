package dev.lockstep.lock.session;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.random.RandomGenerator;

/** Makes new session ids and tokens: 96 random bits of id, 256 random bits of secret. */
public final class SessionTokenIssuer {
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private final RandomGenerator random;

  /** An issuer backed by {@link SecureRandom}, the only one a server should use. */
  public SessionTokenIssuer() {
    this(new SecureRandom());
  }

  /** For tests that want repeatable ids; never give a server a predictable generator. */
  public SessionTokenIssuer(RandomGenerator random) {
    this.random = random;
  }

  public SessionToken issue() {
    return new SessionToken(randomText(12), randomText(32));
  }

  private String randomText(int bytes) {
    byte[] buffer = new byte[bytes];
    random.nextBytes(buffer);
    return BASE64URL.encodeToString(buffer);
  }
}
