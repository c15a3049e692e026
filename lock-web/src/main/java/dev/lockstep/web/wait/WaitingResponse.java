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

  public WaitingResponse(AsyncResponse response) {
    this.response = response;
  }

  @Override
  public void granted(Grant grant) {
    response.resume(Response.ok(grant.view()).build());
  }

  @Override
  public void refused(WaitRefused refusal) {
    response.resume(ProblemResponse.of(
        Problem.conflict(refusal.type(), refusal.reason(), refusal.view())));
  }
}
