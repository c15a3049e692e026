package dev.lockstep.client.support;

import dev.lockstep.client.LockClient;
import dev.lockstep.client.LockClientConfig;
import dev.lockstep.client.ServerLauncher.LockServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Opens lock clients against the test server and closes them all (deleting their sessions) at the
 * end of a test. One per test instance: nothing is shared between tests.
 */
public final class TestClients implements AutoCloseable {
  private final URI url;
  private final List<LockClient> opened = new ArrayList<>();

  public TestClients(LockServer server) {
    this.url = server.url();
  }

  public URI url() {
    return url;
  }

  /** A client with the default configuration, tuned by {@code tune}. */
  public LockClient open(UnaryOperator<LockClientConfig> tune) {
    LockClient client = LockClient.create(tune.apply(LockClientConfig.connect(url)));
    synchronized (opened) {
      opened.add(client);
    }
    return client;
  }

  /** A client without a cache: every status is one HTTP read, and no stream is opened for it. */
  public LockClient openUncached() {
    return open(c -> c.withCache(false));
  }

  /** A client whose every request {@code log} records (and whose keep-alives it may sabotage). */
  public LockClient openLogged(RequestLog log, UnaryOperator<LockClientConfig> tune) {
    return open(c -> tune.apply(c.withProviders(log)));
  }

  /**
   * A lock-name prefix no other test uses, {@code test/<what>-<random>/}: tests share one server
   * and must not see each other's locks.
   */
  public static String uniquePrefix(String what) {
    return "test/" + what + "-" + UUID.randomUUID().toString().substring(0, 8) + "/";
  }

  @Override
  public void close() {
    List<LockClient> all;
    synchronized (opened) {
      all = new ArrayList<>(opened);
      opened.clear();
    }
    Collections.reverse(all);
    RuntimeException failure = null;
    for (LockClient client : all) {
      try {
        client.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
