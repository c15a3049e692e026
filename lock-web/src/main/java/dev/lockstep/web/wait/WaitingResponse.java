package dev.lockstep.web.wait;

import dev.lockstep.lock.WaitListener;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import dev.lockstep.web.problem.ProblemResponse;
import dev.lockstep.web.problem.Problems;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.function.Supplier;

/** A suspended {@code PUT /locks/{name}}: answered when its wait ends, without holding a thread. */
public final class WaitingResponse implements WaitListener {
  private final AsyncResponse response;

  /** Guarded by this: set once the answer is on its way, so no disconnect watch starts after it. */
  private boolean answered;

  private Runnable stopWatchingConnection = () -> {};

  /** Guarded by this: whether disconnect detection was started on the connection. */
  private boolean watching;

  public WaitingResponse(AsyncResponse response) {
    this.response = response;
  }

  /**
   * Starts disconnect detection through {@code watch} (which returns how to stop it) unless the
   * wait was answered already. The wait can end on another thread between being queued and this
   * call; watching a connection whose answer went out would turn reading on (see {@link
   * GrizzlyClientDisconnects}) while the client's next request on that keep-alive connection is
   * being read, and that request's body would then never arrive.
   */
  public synchronized void watchConnection(Supplier<Optional<Runnable>> watch) {
    if (!answered) {
      watch
          .get()
          .ifPresent(
              stop -> {
                stopWatchingConnection = stop;
                watching = true;
              });
    }
  }

  @Override
  public void granted(Grant grant) {
    answer(Response.ok(grant.view()).build());
  }

  @Override
  public void refused(WaitRefused refusal) {
    answer(ProblemResponse.of(Problems.refused(refusal)));
  }

  /**
   * Stops disconnect detection, then answers; see {@link ClientDisconnects}. A connection that was
   * watched is closed after the answer ({@code Connection: close}): watching changed how the
   * container reads it, and a next request on it could lose its body (seen as a 400 "could not read
   * the request body" under contention). The client opens a new connection instead, which costs a
   * loopback handshake after a wait, not after every request.
   */
  public void answer(Response answer) {
    boolean watched;
    synchronized (this) {
      answered = true;
      watched = watching;
      stopWatchingConnection.run();
    }
    response.resume(
        watched ? Response.fromResponse(answer).header("Connection", "close").build() : answer);
  }
}
