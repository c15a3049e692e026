package dev.lockstep.client;

import jakarta.json.bind.Jsonb;
import jakarta.ws.rs.client.ClientBuilder;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Finds the Jakarta REST client and JSON-B implementations the client runs on. A container (Payara,
 * any Jakarta EE 10 server) provides both; plain Java gets them from {@code
 * dev.lockstep:lock-client-se}. When one is missing, the JDK's service lookup fails with a bare
 * {@code ClassNotFoundException} or {@code ExceptionInInitializerError}; this says which artifact
 * to add instead.
 */
final class Providers {
  static final String PLAIN_JAVA_ARTIFACT = "dev.lockstep:lock-client-se";

  private Providers() {}

  /** The client's builder with its connect timeout and the configuration's providers. */
  static ClientBuilder clientBuilder(LockClientConfig config) {
    ClientBuilder builder =
        clientBuilder().connectTimeout(LockHttp.CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    config.providers().forEach(builder::register);
    return builder;
  }

  static ClientBuilder clientBuilder() {
    try {
      return ClientBuilder.newBuilder();
    } catch (RuntimeException | LinkageError e) {
      throw missing("a Jakarta REST client implementation (Jersey: jersey-client, jersey-hk2)", e);
    }
  }

  static Jsonb jsonb(Supplier<Jsonb> create) {
    try {
      return create.get();
    } catch (RuntimeException | LinkageError e) {
      throw missing("a JSON-B implementation (org.eclipse:yasson)", e);
    }
  }

  private static LockstepException missing(String what, Throwable cause) {
    return new LockstepException(
        "the lock client found no "
            + what
            + ": in plain Java add "
            + PLAIN_JAVA_ARTIFACT
            + " (it brings them all); in a Jakarta EE container the container provides them ("
            + cause
            + ")",
        cause);
  }
}
