package dev.lockstep.bench;

import dev.lockstep.client.LockClient;
import dev.lockstep.client.LockClientConfig;
import dev.lockstep.client.LockHandle;
import java.net.URI;
import java.time.Duration;

/**
 * Lockstep through its lock client: one {@link LockClient} per benchmark client, so each has its
 * own session (one LockClient is one session, and it takes same-name turns per process). In {@code
 * uncontended-shared} one client serves 16 threads at once, each on a lock of its own, as one
 * application process would use it. The status cache is off: it would open one event stream per
 * client, which the other systems' clients do not do either; acquire and release are the same HTTP
 * calls with it on.
 */
final class LockstepSystem implements LockSystem {
  private final URI url;

  LockstepSystem(URI url) {
    this.url = url;
  }

  @Override
  public String name() {
    return "lockstep";
  }

  @Override
  public Client connect() {
    LockClient locks =
        LockClient.create(
            LockClientConfig.connect(url).withSessionTtl(Duration.ofSeconds(10)).withCache(false));
    return new Client() {
      @Override
      public Held acquire(String lock) {
        LockHandle handle = locks.acquire(lock);
        return handle::release;
      }

      @Override
      public void close() {
        locks.close();
      }
    };
  }
}
