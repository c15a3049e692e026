package dev.lockstep.client;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.LockMode;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A held lock. It belongs to the client's session, not to a thread: any thread may release it.
 * {@code close()} releases it, so try-with-resources holds the lock for a block.
 *
 * <p>Nested acquires of one name by the thread that holds it give nested handles of the same grant
 * (same fencing token), counted: closing an inner handle only ends that handle, and the lock is
 * released on the server when the last handle of the grant is closed (Curator's {@code
 * InterProcessMutex}). A handle never says {@link HandleState#HELD} for a lock the server freed.
 *
 * <p>The fencing token is why a lock service can be trusted with real work: a process can pause
 * (GC, swap) past its session's TTL and wake up still believing it holds the lock. Pass the token
 * with every write to the guarded resource and let the resource refuse tokens lower than the
 * highest it has seen (see {@code FencingGuard}); then the paused process's late write is refused.
 */
public final class LockHandle implements AutoCloseable {
  private final ClientCore core;
  private final LockHold hold;

  /** Set by the first release of this handle that went through or found the lock lost. */
  private final AtomicBoolean released = new AtomicBoolean();

  /** How this handle's release ended: RELEASED, or LOST when the lock had gone already. */
  private volatile HandleState ended;

  LockHandle(ClientCore core, LockHold hold) {
    this.core = core;
    this.hold = hold;
  }

  public String name() {
    return grant().name();
  }

  public LockMode mode() {
    return LockMode.fromWire(grant().mode()).orElseThrow();
  }

  /** The grant's fencing token: larger than every token the server handed out before it. */
  public long fencingToken() {
    return grant().fencingToken();
  }

  public String owner() {
    return grant().owner();
  }

  public Instant acquiredAt() {
    return grant().acquiredAt();
  }

  public String sessionId() {
    return hold.session().id();
  }

  /** How many handles of this grant are open (nested acquires by the holding thread); no call. */
  public int holdCount() {
    return hold.ended().isPresent() ? 0 : hold.count();
  }

  /** What is known locally; no HTTP call. */
  public HandleState state() {
    HandleState end = ended;
    if (end != null) {
      return end;
    }
    Optional<HandleState> gone = hold.ended();
    if (gone.isPresent()) {
      return HandleState.LOST; // another handle of the grant found it gone
    }
    return switch (core.sessionStateOf(sessionId())) {
      case LIVE -> HandleState.HELD;
      case JEOPARDY -> HandleState.UNCERTAIN;
      default -> HandleState.LOST;
    };
  }

  /**
   * Whether this handle holds the lock as far as the client knows: released or in doubt is false.
   */
  public boolean isHeld() {
    return state() == HandleState.HELD;
  }

  /**
   * Releases this handle. An inner nested handle only ends itself (no HTTP call); the last handle
   * of the grant releases the lock on the server: one HTTP call, which returns or fails within 5 s
   * of read timeout plus 2 s of connect timeout whatever the server does (a frozen server that
   * still accepts connections: about 5 s).
   *
   * @throws LockLostException when the lock was already lost (session lost, or released elsewhere),
   *     without an HTTP call when the session is known to be lost
   * @throws IllegalStateException when this handle was released already
   * @throws ServerException when the server could not be reached or did not answer in time; the
   *     handle stays held (the lock may still be held on the server), so release can be tried again
   */
  public void release() {
    if (!released.compareAndSet(false, true)) {
      throw new IllegalStateException("lock " + name() + " was already released by this handle");
    }
    if (!hold.leave()) {
      ended = hold.ended().isPresent() ? HandleState.LOST : HandleState.RELEASED;
      return; // an outer handle of the same grant still holds it
    }
    try {
      core.release(this);
      ended = HandleState.RELEASED;
      hold.end(HandleState.RELEASED); // the next thread of this client may take the lock
    } catch (LockLostException e) {
      ended = HandleState.LOST;
      hold.end(HandleState.LOST); // gone on the server: the next thread may try for it
      throw e;
    } catch (RuntimeException e) {
      // Not known to be released: leave the handle releasable, else close() would do nothing
      // and the lock would stay held until the session ends. The turn stays taken with it.
      hold.stay();
      released.set(false);
      throw e;
    }
  }

  /**
   * Releases unless already released; safe to call twice.
   *
   * @throws LockLostException as {@link #release()}
   * @throws ServerException as {@link #release()}
   */
  @Override
  public void close() {
    if (!released.get()) {
      release();
    }
  }

  Sessions.Live session() {
    return hold.session();
  }

  LockHold hold() {
    return hold;
  }

  private GrantView grant() {
    return hold.grant();
  }

  @Override
  public String toString() {
    return "LockHandle[" + name() + " " + grant().mode() + " token " + fencingToken() + "]";
  }
}
