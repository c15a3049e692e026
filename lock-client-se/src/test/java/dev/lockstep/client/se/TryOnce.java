package dev.lockstep.client.se;

import dev.lockstep.client.LockClient;
import dev.lockstep.client.LockClientConfig;
import java.net.URI;
import java.time.Duration;

/**
 * The child JVM of {@code PlainJavaRuntimeTest}: one acquire against a port nobody listens on,
 * printing what it came to (the class of the exception and its message).
 */
public final class TryOnce {
  private TryOnce() {}

  public static void main(String[] args) {
    try (LockClient locks =
        LockClient.create(
            LockClientConfig.connect(URI.create("http://127.0.0.1:" + args[0])).withCache(false))) {
      locks.tryAcquire("jobs/nightly", Duration.ZERO);
      System.out.println("RESULT granted");
    } catch (RuntimeException | Error e) {
      System.out.println("RESULT " + e.getClass().getName() + ": " + e.getMessage());
    }
  }
}
