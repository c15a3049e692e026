package dev.lockstep.client;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.LockMode;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A held lock. It belongs to the client's session, not to a thread: any thread may release it.
 * {@code close()} releases it, so try-with-resources holds the lock for a block.
 *
 * <p>The fencing token is why a lock service can be trusted with real work: a process can pause
 * (GC, swap) past its session's TTL and wake up still believing it holds the lock. Pass the token
 * with every write to the guarded resource and let the resource refuse tokens lower than the
 * highest it has seen (see {@code FencingGuard}); then the paused process's late write is refused.
 */
public final class LockHandle implements AutoCloseable {
  private final ClientCore core;
  private final GrantView grant;
  private final Sessions.Live session;

  /** Set by the first release that went through or found the lock lost: releases only once. */
  private final AtomicBoolean released = new AtomicBoolean();

  /** How that release ended: RELEASED, or LOST when the lock had gone already. */
  private volatile HandleState ended;

  private final Runnable endTurn;

  LockHandle(ClientCore core, GrantView grant, Sessions.Live session, Runnable endTurn) {
    this.core = core;
    this.grant = grant;
    this.session = session;
    this.endTurn = endTurn;
  }

  public String name() {
    return grant.name();
  }

  public LockMode mode() {
    return LockMode.fromWire(grant.mode()).orElseThrow();
  }

  /** The grant's fencing token: larger than every token the server handed out before it. */
  public long fencingToken() {
    return grant.fencingToken();
  }

  public String owner() {
    return grant.owner();
  }

  public Instant acquiredAt() {
    return grant.acquiredAt();
  }

  public String sessionId() {
    return session.id();
  }

  /** What is known locally; no HTTP call. */
  public HandleState state() {
    HandleState end = ended;
    if (end != null) {
      return end;
    }
    return switch (core.sessionStateOf(session.id())) {
      case LIVE -> HandleState.HELD;
      case JEOPARDY -> HandleState.UNCERTAIN;
      default -> HandleState.LOST;
    };
  }

  /** Whether the lock is held as far as the client knows: released or in doubt is false. */
  public boolean isHeld() {
    return state() == HandleState.HELD;
  }

  /**
   * Releases the lock; blocks for one HTTP call. Throws {@link LockLostException} when the lock was
   * already lost (session lost, or released elsewhere), without an HTTP call when the session is
   * known to be lost; {@link IllegalStateException} when released already (or found lost by an
   * earlier release). A {@link ServerException} (server unreachable) leaves the handle held: the
   * lock may still be held on the server, so release can be tried again.
   */
  public void release() {
    if (!released.compareAndSet(false, true)) {
      throw new IllegalStateException("lock " + name() + " was already released by this handle");
    }
    try {
      core.release(this);
      ended = HandleState.RELEASED;
      endTurn.run(); // the next thread of this client may take the lock
    } catch (LockLostException e) {
      ended = HandleState.LOST;
      endTurn.run(); // gone on the server: the next thread of this client may try for it
      throw e;
    } catch (RuntimeException e) {
      // Not known to be released: leave the handle releasable, else close() would do nothing
      // and the lock would stay held until the session ends. The turn stays taken with it.
      released.set(false);
      throw e;
    }
  }

  /** Releases unless already released; safe to call twice. */
  @Override
  public void close() {
    if (!released.get()) {
      release();
    }
  }

  Sessions.Live session() {
    return session;
  }

  @Override
  public String toString() {
    return "LockHandle[" + name() + " " + grant.mode() + " token " + fencingToken() + "]";
  }
}
