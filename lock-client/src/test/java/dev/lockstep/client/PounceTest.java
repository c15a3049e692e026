package dev.lockstep.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockView;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.support.LockServerExtension;
import dev.lockstep.client.support.TestClients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pounce: wait in line on a thread of its own, get the lock the instant it is granted. */
@ExtendWith(LockServerExtension.class)
class PounceTest {
  private TestClients clients;
  private String name;

  /** Reads the server's view: no cache, so every status is a fresh HTTP read. */
  private LockClient observer;

  @BeforeEach
  void setUp(LockServer server) {
    clients = new TestClients(server);
    name = TestClients.uniquePrefix("pounce") + "job";
    observer = clients.openUncached();
  }

  @AfterEach
  void tearDown() {
    clients.close();
  }

  private void awaitWaiters(int count) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> observer.status(name).waiters().size() == count);
  }

  /** A grant as a pouncer recorded it. */
  private record Granted(String pouncer, long fencingToken) {}

  @Test
  void pounces_onHeldLock_areGrantedInFifoOrder() {
    LockHandle held = clients.openUncached().acquire(name);
    List<Granted> granted = new CopyOnWriteArrayList<>();
    List<String> sessions = new CopyOnWriteArrayList<>();
    for (String pouncer : List.of("first", "second", "third")) {
      LockClient client = clients.openUncached();
      client.pounce(
          name,
          LockMode.EXCLUSIVE,
          handle -> {
            granted.add(new Granted(pouncer, handle.fencingToken()));
            handle.release(); // hands the lock to the next in line
          });
      // Each joins the line only once the one before is visibly in it.
      awaitWaiters(sessions.size() + 1);
      sessions.add(client.sessionId().orElseThrow());
    }
    List<String> line = observer.status(name).waiters().stream().map(w -> w.session()).toList();
    assertEquals(sessions, line, "the server's queue is in pounce order");

    held.release();

    await().atMost(Duration.ofSeconds(5)).until(() -> granted.size() == 3);
    assertEquals(
        List.of("first", "second", "third"), granted.stream().map(Granted::pouncer).toList());
    assertTrue(
        held.fencingToken() < granted.get(0).fencingToken()
            && granted.get(0).fencingToken() < granted.get(1).fencingToken()
            && granted.get(1).fencingToken() < granted.get(2).fencingToken(),
        granted.toString());
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> LockView.FREE.equals(observer.status(name).state()));
  }

  @Test
  void cancelledPounce_withdrawsItsPlace_andIsNeverGranted() {
    LockHandle held = clients.openUncached().acquire(name);
    LockClient pouncer = clients.openUncached();
    AtomicBoolean granted = new AtomicBoolean();
    List<LockstepException> failures = new CopyOnWriteArrayList<>();
    Subscription pounce =
        pouncer.pounce(
            name,
            LockMode.EXCLUSIVE,
            new PounceListener() {
              @Override
              public void granted(LockHandle handle) {
                granted.set(true);
              }

              @Override
              public void failed(LockstepException cause) {
                failures.add(cause);
              }
            });
    awaitWaiters(1);

    pounce.close();

    await().atMost(Duration.ofSeconds(1)).until(() -> observer.status(name).waiters().isEmpty());
    held.release();
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> LockView.FREE.equals(observer.status(name).state()));
    // "Never" within a window: the lock stays free and the pouncer is not called.
    await()
        .during(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !granted.get() && LockView.FREE.equals(observer.status(name).state()));
    assertEquals(List.of(), failures);
    pounce.close(); // twice is harmless
  }

  @Test
  void pounce_onFreeLock_isGrantedAtOnce() {
    LockClient pouncer = clients.openUncached();
    List<LockHandle> granted = new CopyOnWriteArrayList<>();

    pouncer.pounce(name, LockMode.EXCLUSIVE, granted::add);

    await().atMost(Duration.ofSeconds(5)).until(() -> granted.size() == 1);
    assertEquals(HandleState.HELD, granted.get(0).state());
    LockView view = observer.status(name);
    assertEquals(pouncer.sessionId().orElseThrow(), view.holders().get(0).session());
  }
}
