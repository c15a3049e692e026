package dev.lockstep.web.wait;

import dev.lockstep.lock.WaitListener;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import dev.lockstep.web.problem.ProblemResponse;
import dev.lockstep.web.problem.Problems;
import jakarta.ws.rs.core.Response;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A queued {@code PUT /locks/{name}}: answered when its wait ends, without holding a thread. The
 * answer is a {@link CompletionStage} rather than an {@code AsyncResponse}, so that the request is
 * suspended only once the lock table has queued it: an acquire answered at once never pays for
 * suspending (the servlet's async context, a resume on another thread) at all.
 *
 * <p>The answer is completed through {@code resumer}, off the thread that ended the wait: that
 * thread serves another request (the release that granted the lock), and completing a suspended
 * request inside another one mixes up Weld's contexts of the two (see {@link Resumer}).
 */
public final class WaitingResponse implements WaitListener {
  private final CompletableFuture<Response> response = new CompletableFuture<>();

  private final Executor resumer;

  /** Guarded by this: set once the answer is on its way, so no disconnect watch starts after it. */
  private boolean answered;

  private Runnable stopWatchingConnection = () -> {};

  /** Guarded by this: whether disconnect detection was started on the connection. */
  private boolean watching;

  public WaitingResponse(Executor resumer) {
    this.resumer = Objects.requireNonNull(resumer, "resumer");
  }

  /**
   * The answer, once the wait ends; what the resource returns for Jersey to suspend the request on
   * (Jersey suspends a request whose entity is a {@code CompletionStage} and answers it with the
   * stage's value).
   */
  public CompletionStage<Response> answer() {
    return response;
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
    Response sent =
        watched ? Response.fromResponse(answer).header("Connection", "close").build() : answer;
    // Completing the stage is what writes the answer: Jersey resumes the request on this call.
    resumer.execute(() -> response.complete(sent));
  }

  /** Drops the answer: the client is gone (Jersey answers the closed connection 503). */
  public void cancel() {
    synchronized (this) {
      answered = true;
      stopWatchingConnection.run();
    }
    response.cancel(false);
  }
}
