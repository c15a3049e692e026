package dev.lockstep.web.batch;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.Problem;
import dev.lockstep.lock.ChannelEnding;
import dev.lockstep.lock.table.WaitEnded.WaitGranted;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import dev.lockstep.web.problem.Problems;

/**
 * One ending on the grant channel: 200 with the grant the single PUT would have answered, or the
 * problem its refusal would have been.
 */
public record EndingView(
    long seq, String name, String requestId, int status, GrantView grant, Problem problem) {

  public static EndingView of(ChannelEnding ending) {
    String name = ending.name().value();
    if (ending.ended() instanceof WaitGranted granted) {
      return new EndingView(
          ending.seq(), name, ending.requestId(), 200, granted.grant().view(), null);
    }
    Problem problem = Problems.refused((WaitRefused) ending.ended());
    return new EndingView(ending.seq(), name, ending.requestId(), problem.status(), null, problem);
  }
}
