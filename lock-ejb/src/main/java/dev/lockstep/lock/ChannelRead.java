package dev.lockstep.lock;

import java.util.List;

/**
 * One answer of a grant channel: the endings after the reader's {@code after}, in order; {@code
 * next}, the {@code after} of its next read; {@code reset} when {@code after} was not one the
 * channel can answer from (newer than its latest ending, or older than its oldest kept), and the
 * endings are then all it has.
 */
public record ChannelRead(List<ChannelEnding> endings, long next, boolean reset) {
  public ChannelRead {
    endings = List.copyOf(endings);
  }
}
