package dev.lockstep.web.batch;

import dev.lockstep.lock.ChannelRead;
import java.util.List;

/** The answer to {@code GET /api/v1/sessions/{id}/grants}. */
public record ChannelAnswer(List<EndingView> endings, long next, boolean reset) {

  public static ChannelAnswer of(ChannelRead read) {
    return new ChannelAnswer(
        read.endings().stream().map(EndingView::of).toList(), read.next(), read.reset());
  }
}
