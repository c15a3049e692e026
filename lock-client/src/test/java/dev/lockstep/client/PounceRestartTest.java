package dev.lockstep.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockMode;
import dev.lockstep.client.LockClientConfig.ServerSettings;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.support.TestClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pounce outlives a server restart: its wait ends with the connection, its session goes into
 * jeopardy while the server is down and comes back in its grace period, and the pounce queues again
 * and gets the lock when the holder lets go. Runs a server of its own (the shared one must not be
 * restarted under the other tests), on lockstep.test.port + 1.
 */
class PounceRestartTest {
  private static final Duration TTL = Duration.ofSeconds(60);

  private final ServerSettings settings =
      new ServerSettings(
          Path.of(property("lockstep.test.microJar")),
          Path.of(property("lockstep.test.war")),
          Integer.parseInt(property("lockstep.test.port")) + 1,
          Path.of(property("lockstep.test.dir"))
              .resolve("lockstep-restart-server-" + System.nanoTime()),
          Duration.ofSeconds(1),
          Duration.ofHours(1));
  private LockServer server;
  private TestClients before;
  private TestClients after;

  @AfterEach
  void stop() {
    for (TestClients clients : new TestClients[] {after, before}) {
      if (clients != null) {
        clients.close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES) // two server starts, on a machine that may be busy
  void pounce_acrossAServerRestart_queuesAgainAndIsGranted() {
    server = ServerLauncher.start(settings);
    before = new TestClients(server);
    String name = TestClients.uniquePrefix("pounce-restart") + "job";
    LockClient holderClient = before.open(c -> c.withCache(false).withSessionTtl(TTL));
    LockClient pouncerClient = before.open(c -> c.withCache(false).withSessionTtl(TTL));
    LockClient observer = before.openUncached();
    LockHandle held = holderClient.acquire(name);
    CompletableFuture<LockHandle> granted = new CompletableFuture<>();
    pouncerClient.pounce(
        name,
        LockMode.EXCLUSIVE,
        new PounceListener() {
          @Override
          public void granted(LockHandle handle) {
            granted.complete(handle);
          }

          @Override
          public void failed(LockstepException e) {
            granted.completeExceptionally(e);
          }
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> observer.status(name).waiters().size() == 1);
    String pouncer = pouncerClient.sessionId().orElseThrow(); // opened by the pounce's thread
    assertEquals(pouncer, observer.status(name).waiters().get(0).session());

    server.close();
    server = ServerLauncher.start(settings);
    after = new TestClients(server);
    LockClient reader = after.openUncached();

    // The pounce's wait ended with the old server; it must join the new server's line again.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                reader.status(name).waiters().stream().anyMatch(w -> w.session().equals(pouncer)));
    assertFalse(granted.isDone(), "granted while the holder still held: " + granted);
    held.release();

    LockHandle handle = granted.orTimeout(10, TimeUnit.SECONDS).join();
    assertEquals(pouncer, handle.sessionId());
    assertTrue(
        handle.fencingToken() > held.fencingToken(),
        handle.fencingToken() + " after " + held.fencingToken());
    assertEquals(
        List.of(pouncer), reader.status(name).holders().stream().map(h -> h.session()).toList());
  }

  private static String property(String key) {
    String value = System.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("system property " + key + " is not set; run through Maven");
    }
    return value;
  }
}
