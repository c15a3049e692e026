package dev.lockstep.lock;

import dev.lockstep.api.LockName;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.AcquireResult.Queued;
import dev.lockstep.lock.table.BatchAnswer;
import dev.lockstep.lock.table.BatchOperation;
import dev.lockstep.lock.table.BatchOperation.Acquire;
import dev.lockstep.lock.table.BatchRequest;
import dev.lockstep.lock.table.BatchResult;
import dev.lockstep.lock.table.BatchResult.Acquired;
import dev.lockstep.lock.table.LockTable;
import dev.lockstep.lock.table.Outcome;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import java.util.List;
import java.util.function.Consumer;

/**
 * Batches and grant channels on the durable table: a batch is one operation of {@link
 * DurableTable}, applied under its table lock and stored in one commit, answered after it; each
 * wait it queued is told, through the {@link CommitDispatcher} as every wait is, to its session's
 * {@link GrantChannel}. Plain Java, like the durable table it runs on.
 */
final class DurableBatch {
  private final DurableTable durable;
  private final LockTable table;
  private final CommitDispatcher dispatcher;
  private final GrantChannels channels;
  private final LockCounters counters;

  DurableBatch(
      DurableTable durable,
      LockTable table,
      CommitDispatcher dispatcher,
      GrantChannels channels,
      LockCounters counters) {
    this.durable = durable;
    this.table = table;
    this.dispatcher = dispatcher;
    this.channels = channels;
    this.counters = counters;
  }

  /**
   * Applies the batch and answers once it is stored. The waits it queued are registered with the
   * dispatcher under the table lock, before the batch's own changes are handed to it, so that a
   * wait the same batch ended (a withdraw after the acquire) is told too.
   */
  BatchAnswer batch(String bearer, BatchRequest request) {
    BatchAnswer answer =
        durable.apply(
            () -> {
              Outcome<BatchAnswer> outcome = table.batch(bearer, request);
              listen(outcome.result(), request.operations());
              return outcome;
            });
    counters.batched(request.operations().size());
    return answer;
  }

  /**
   * Polls the session's grant channel, once {@code bearer} is shown to be its token (thrown as a
   * keep-alive would be: {@code unauthorized}, {@code forbidden}, {@code not-found}); see {@link
   * GrantChannel#poll}.
   */
  GrantChannel.Poll poll(
      String sessionId, String bearer, long after, Consumer<ChannelRead> answer) {
    GrantChannel channel =
        durable.read(
            () -> {
              table.authorized(sessionId, bearer);
              return channels.of(sessionId);
            });
    return channel.poll(after, answer);
  }

  int channelCount() {
    return channels.size();
  }

  private void listen(BatchAnswer answer, List<BatchOperation> operations) {
    List<BatchResult> results = answer.results();
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i) instanceof Acquired acquired
          && acquired.result() instanceof Queued queued
          && operations.get(i) instanceof Acquire acquire) {
        LockName name = acquire.name();
        dispatcher.listen(
            queued.waiterId(),
            new ChannelWait(
                channels.of(answer.session()), queued.waiterId(), name, acquire.requestId()),
            () ->
                new WaitRefused(
                    queued.waiterId(),
                    ProblemType.CONFLICT,
                    "a newer request of the same session took over this place in line",
                    table.view(name)));
      }
    }
  }
}
