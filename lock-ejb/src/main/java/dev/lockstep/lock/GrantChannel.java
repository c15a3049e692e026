package dev.lockstep.lock;

import dev.lockstep.api.LockName;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.LockTableException;
import dev.lockstep.lock.table.WaitEnded;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One session's channel of endings of the waits its batches queued: each ending gets the session's
 * next sequence number, the last {@link #KEPT} are kept in memory, and a long poll is answered with
 * those after its {@code after}, at once or as soon as one comes. Thread-safe: endings arrive on
 * the threads that tell waiters, polls on request threads; answers are given outside its monitor,
 * since an answer writes to a connection.
 */
public final class GrantChannel {
  /** Endings kept per session; an {@code after} older than the oldest kept is a reset. */
  public static final int KEPT = 1_024;

  /** Polls of one session waiting at once; one more is refused {@code too-many}. */
  public static final int MAX_POLLS_PER_SESSION = 4;

  private final Semaphore serverPolls;
  private final ArrayDeque<ChannelEnding> kept = new ArrayDeque<>();
  private final List<Poll> pending = new ArrayList<>();
  private long latest;
  private boolean closed;

  /** {@code serverPolls}: the server-wide permits of waiting polls, shared by every channel. */
  GrantChannel(Semaphore serverPolls) {
    this.serverPolls = serverPolls;
  }

  /** Appends an ending and answers every waiting poll with what it has not yet seen. */
  void append(LockName name, String requestId, WaitEnded ended) {
    List<Poll> woken;
    synchronized (this) {
      kept.addLast(new ChannelEnding(++latest, name, requestId, ended));
      if (kept.size() > KEPT) {
        kept.removeFirst();
      }
      woken = takePending();
    }
    answerEach(woken);
  }

  /**
   * Answers {@code answer} with the endings after {@code after} at once when there are any, or when
   * {@code after} calls for a reset, or the channel is closed; otherwise when the next ending
   * comes, or with an empty read once the caller gives up through {@link Poll#expire}. Thrown:
   * {@code too-many} when the session, or the server, has its maximum of polls waiting.
   */
  public Poll poll(long after, Consumer<ChannelRead> answer) {
    Poll poll = new Poll(after, answer);
    ChannelRead now;
    synchronized (this) {
      now = read(after);
      if (now.endings().isEmpty() && !now.reset() && !closed) {
        if (pending.size() >= MAX_POLLS_PER_SESSION) {
          throw new LockTableException(
              ProblemType.TOO_MANY,
              "the session has its maximum of " + MAX_POLLS_PER_SESSION + " grant polls waiting");
        }
        if (!serverPolls.tryAcquire()) {
          throw new LockTableException(
              ProblemType.TOO_MANY, "the server has its maximum of grant polls waiting");
        }
        poll.holdsPermit = true;
        pending.add(poll);
        return poll;
      }
    }
    poll.complete(now);
    return poll;
  }

  /** The session ended: waiting polls are answered with what there is, and new ones at once. */
  void close() {
    List<Poll> woken;
    synchronized (this) {
      closed = true;
      woken = takePending();
    }
    answerEach(woken);
  }

  synchronized int waitingPolls() {
    return pending.size();
  }

  private ChannelRead read(long after) {
    long oldest = kept.isEmpty() ? latest + 1 : kept.getFirst().seq();
    if (after > latest || after < oldest - 1) {
      return new ChannelRead(List.copyOf(kept), latest, true);
    }
    List<ChannelEnding> endings = new ArrayList<>();
    for (ChannelEnding ending : kept) {
      if (ending.seq() > after) {
        endings.add(ending);
      }
    }
    long next = endings.isEmpty() ? after : endings.get(endings.size() - 1).seq();
    return new ChannelRead(endings, next, false);
  }

  private List<Poll> takePending() {
    List<Poll> woken = List.copyOf(pending);
    pending.clear();
    return woken;
  }

  private void answerEach(List<Poll> woken) {
    for (Poll poll : woken) {
      ChannelRead read;
      synchronized (this) {
        read = read(poll.after);
      }
      poll.complete(read);
    }
  }

  /** A poll of the channel, answered once: with endings, or empty when it expires. */
  public final class Poll {
    private final long after;
    private final Consumer<ChannelRead> answer;
    private final AtomicBoolean answered = new AtomicBoolean();
    private boolean holdsPermit; // guarded by the channel; set before the poll is shared

    private Poll(long after, Consumer<ChannelRead> answer) {
      this.after = after;
      this.answer = answer;
    }

    /** Gives up waiting: answered with no endings, unless an ending answered it first. */
    public void expire() {
      synchronized (GrantChannel.this) {
        pending.remove(this);
      }
      complete(new ChannelRead(List.of(), after, false));
    }

    public boolean isAnswered() {
      return answered.get();
    }

    private void complete(ChannelRead read) {
      if (answered.compareAndSet(false, true)) {
        boolean permit;
        synchronized (GrantChannel.this) {
          permit = holdsPermit;
        }
        if (permit) {
          serverPolls.release();
        }
        answer.accept(read);
      }
    }
  }
}
