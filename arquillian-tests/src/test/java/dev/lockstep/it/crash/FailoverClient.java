package dev.lockstep.it.crash;

import dev.lockstep.client.LockClient;
import dev.lockstep.client.LockClientConfig;
import dev.lockstep.client.LockHandle;
import dev.lockstep.client.LockLostException;
import dev.lockstep.client.LockstepException;
import dev.lockstep.it.crash.ClientState.HeldGrant;
import dev.lockstep.it.crash.CounterLedger.GrantSeen;
import dev.lockstep.it.crash.FencedResource.Tenure;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * One contending client of the failover test, through the lock client itself: one {@link
 * LockClient} given both servers of the group, and so one session that must survive every takeover.
 * Over and over it picks a lock, asks for it with a short wait, and while it holds it writes its
 * fencing token to the {@link FencedResource}. A call that a takeover cuts off is simply made
 * again: the lock client sends it to the new active server.
 *
 * <p>What it tells the run: each grant (with the life it was answered in; {@code recovered} when it
 * was asked for in an earlier life, since the new active then answers the old grant again), and
 * each loss it should never see: its session replaced or lost, or a release whose first attempt was
 * answered "not held" (the grant was gone although nothing had let go of it).
 */
final class FailoverClient implements Runnable {
  /** Well above a takeover plus a keep-alive period: the client must never give its session up. */
  static final Duration TTL = Duration.ofSeconds(15);

  private static final Duration WAIT = Duration.ofSeconds(1);
  private static final long RETRY_PAUSE_MILLIS = 50;

  private final String name;
  private final List<URI> group;
  private final List<String> locks;
  private final Random random;
  private final FencedResource resource;
  private final CounterLedger ledger;
  private final IntSupplier life;
  private final AtomicBoolean stop;
  private final Queue<String> losses;
  private final AtomicReference<ClientState> state = new AtomicReference<>(ClientState.none());

  /** Locks asked for by a call that failed, and the life it was in: it may have been granted. */
  private final Map<String, Integer> uncertain = new HashMap<>();

  private volatile Throwable failure;
  private volatile int grants;
  private volatile int callFailures;

  FailoverClient(
      String name,
      List<URI> group,
      List<String> locks,
      Random random,
      FencedResource resource,
      CounterLedger ledger,
      IntSupplier life,
      AtomicBoolean stop,
      Queue<String> losses) {
    this.name = name;
    this.group = group;
    this.locks = locks;
    this.random = random;
    this.resource = resource;
    this.ledger = ledger;
    this.life = life;
    this.stop = stop;
    this.losses = losses;
  }

  String name() {
    return name;
  }

  ClientState state() {
    return state.get();
  }

  Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  int grants() {
    return grants;
  }

  /** Calls that failed (a takeover under them) and were made again. */
  int callFailures() {
    return callFailures;
  }

  @Override
  public void run() {
    try (LockClient client =
        LockClient.create(
            LockClientConfig.connect(group)
                .withCache(false)
                .withSessionTtl(TTL)
                .withSessionName(name))) {
      while (!stop.get()) {
        round(client);
      }
    } catch (RuntimeException | Error e) {
      failure = e;
    }
  }

  private void round(LockClient client) {
    String lock = locks.get(random.nextInt(locks.size()));
    int askedIn = life.getAsInt();
    Optional<LockHandle> granted;
    try {
      granted = client.tryAcquire(lock, WAIT);
    } catch (LockstepException e) {
      uncertain.putIfAbsent(lock, askedIn);
      retryLater();
      return;
    }
    if (granted.isEmpty()) {
      return;
    }
    LockHandle handle = granted.get();
    noteSession(handle.sessionId());
    int answeredIn = life.getAsInt();
    // Asked for in an earlier life, by this call or one whose answer was lost: the old grant.
    Integer lostAsk = uncertain.remove(lock);
    boolean recovered = askedIn != answeredIn || (lostAsk != null && lostAsk != answeredIn);
    ledger.grant(
        new GrantSeen(handle.fencingToken(), handle.sessionId(), lock, answeredIn, recovered));
    grants++;
    HeldGrant held = new HeldGrant(lock, handle.fencingToken(), System.nanoTime(), 0);
    state.set(state.get().withHeld(held));
    Tenure tenure = new Tenure(lock, name, handle.sessionId(), handle.fencingToken());
    resource.enter(tenure);
    pause(5 + random.nextInt(30)); // the work done under the lock
    resource.write(tenure);
    resource.leave(tenure);
    state.set(state.get().withHeld(held.releasing(System.nanoTime())));
    release(handle);
    state.set(state.get().withHeld(null));
  }

  /** Until the server answers: a grant kept across a takeover is released on the new active. */
  private void release(LockHandle handle) {
    boolean firstAttempt = true;
    while (true) {
      try {
        handle.release();
        return;
      } catch (LockLostException e) {
        if (firstAttempt) {
          losses.add(name + ": grant " + handle + " was not held when released: " + e.getMessage());
        }
        return; // else the attempt cut off by the kill had released it
      } catch (LockstepException e) {
        firstAttempt = false;
        if (stop.get()) {
          return; // the session's close releases it
        }
        retryLater();
      }
    }
  }

  private void noteSession(String session) {
    ClientState now = state.get();
    if (now.session() == null) {
      state.set(new ClientState(session, null, System.nanoTime(), now.held()));
    } else if (!now.session().equals(session)) {
      losses.add(name + ": session " + now.session() + " replaced by " + session);
      state.set(new ClientState(session, null, System.nanoTime(), now.held()));
    }
  }

  private void retryLater() {
    callFailures++;
    pause(RETRY_PAUSE_MILLIS);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
