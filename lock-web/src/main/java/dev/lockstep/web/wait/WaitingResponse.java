package dev.lockstep.web.wait;

import dev.lockstep.api.Problem;
import dev.lockstep.lock.WaitListener;
import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import dev.lockstep.web.problem.ProblemResponse;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.Response;

/** A suspended {@code PUT /locks/{name}}: answered when its wait ends, without holding a thread. */
public final class WaitingResponse implements WaitListener {
  private final AsyncResponse response;
  private volatile Runnable stopWatchingConnection = () -> {};

  public WaitingResponse(AsyncResponse response) {
    this.response = response;
  }

  /** Stops disconnect detection before the answer; see {@link ClientDisconnects}. */
  public void stopWatchingConnectionWith(Runnable unregister) {
    this.stopWatchingConnection = unregister;
  }

  @Override
  public void granted(Grant grant) {
    answer(Response.ok(grant.view()).build());
  }

  @Override
  public void refused(WaitRefused refusal) {
    answer(ProblemResponse.of(Problem.conflict(refusal.type(), refusal.reason(), refusal.view())));
  }

  public void answer(Response answer) {
    stopWatchingConnection.run();
    response.resume(answer);
  }
}
