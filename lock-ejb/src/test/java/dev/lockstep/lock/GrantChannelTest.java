package dev.lockstep.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.LockTableException;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One session's channel of wait endings: order, resume, reset, bounds. */
class GrantChannelTest {
  private static final LockName A = new LockName("jobs/a");
  private static final LockView FREE =
      new LockView(A.value(), LockView.FREE, null, List.of(), List.of(), 0, null);

  private final Semaphore serverPolls = new Semaphore(6);
  private final GrantChannel channel = new GrantChannel(serverPolls);

  private void end(String request) {
    channel.append(A, request, new WaitRefused(1, ProblemType.CONFLICT, "why", FREE));
  }

  private ChannelRead read(long after) {
    List<ChannelRead> reads = new ArrayList<>();
    channel.poll(after, reads::add).expire();
    return reads.get(0);
  }

  private static List<String> ids(ChannelRead read) {
    return read.endings().stream().map(ChannelEnding::requestId).toList();
  }

  @Test
  void read_givesEveryEndingAfter_inOrder_withTheNextAfter() {
    end("r1");
    end("r2");
    end("r3");

    ChannelRead all = read(0);
    assertEquals(List.of("r1", "r2", "r3"), ids(all));
    assertEquals(3, all.next());
    assertFalse(all.reset());
    ChannelRead rest = read(1);
    assertEquals(List.of("r2", "r3"), ids(rest));
    ChannelRead none = read(3);
    assertTrue(none.endings().isEmpty());
    assertEquals(3, none.next(), "an empty read keeps its after");
    assertFalse(none.reset());
  }

  @Test
  void poll_withNothingNew_waits_andTheNextEndingAnswersIt() {
    end("r1");
    List<ChannelRead> reads = new CopyOnWriteArrayList<>();

    GrantChannel.Poll poll = channel.poll(1, reads::add);
    assertFalse(poll.isAnswered());
    end("r2");

    assertEquals(1, reads.size());
    assertEquals(List.of("r2"), ids(reads.get(0)));
    poll.expire();
    assertEquals(1, reads.size(), "answered once");
  }

  @Test
  void poll_afterADroppedRead_getsTheSameEndingsAgain() {
    end("r1");
    end("r2");
    read(0); // answered, but say the connection dropped before the client read it

    assertEquals(List.of("r1", "r2"), ids(read(0)));
  }

  @Test
  void read_afterNewerThanTheLatest_isAReset_withWhatItHas() {
    end("r1");

    ChannelRead reset = read(7);

    assertTrue(reset.reset());
    assertEquals(List.of("r1"), ids(reset));
    assertEquals(1, reset.next());
  }

  @Test
  void channel_keepsTheLast1024_andAnOlderAfterIsAReset() {
    for (int i = 1; i <= GrantChannel.KEPT + 10; i++) {
      end("r" + i);
    }

    ChannelRead old = read(5);
    assertTrue(old.reset(), "endings 6 to 10 are gone");
    assertEquals(GrantChannel.KEPT, old.endings().size());
    assertEquals(11, old.endings().get(0).seq());
    ChannelRead fromOldest = read(10);
    assertFalse(fromOldest.reset(), "10 is just before the oldest kept");
    assertEquals(GrantChannel.KEPT, fromOldest.endings().size());
  }

  @Test
  void polls_waitingAtOnce_areBoundedPerSession_andFreedWhenAnswered() {
    for (int i = 0; i < GrantChannel.MAX_POLLS_PER_SESSION; i++) {
      channel.poll(0, read -> {});
    }

    LockTableException refused =
        assertThrows(LockTableException.class, () -> channel.poll(0, read -> {}));
    assertEquals(ProblemType.TOO_MANY, refused.type());
    end("r1");
    assertEquals(0, channel.waitingPolls());
    assertEquals(6, serverPolls.availablePermits(), "every permit back");
  }

  @Test
  void polls_waitingAtOnce_areBoundedServerWide() {
    GrantChannel another = new GrantChannel(serverPolls);
    for (int i = 0; i < 4; i++) {
      channel.poll(0, read -> {});
    }
    another.poll(0, read -> {});
    another.poll(0, read -> {});

    LockTableException refused =
        assertThrows(LockTableException.class, () -> another.poll(0, read -> {}));
    assertEquals(ProblemType.TOO_MANY, refused.type());
    assertTrue(refused.getMessage().contains("server"), refused.getMessage());
  }

  @Test
  void close_answersTheWaitingPolls() {
    List<ChannelRead> reads = new CopyOnWriteArrayList<>();
    channel.poll(0, reads::add);

    channel.close();

    assertEquals(1, reads.size());
    assertTrue(reads.get(0).endings().isEmpty());
  }

  @Test
  void endingsFromManyThreads_getDistinctSeqsInTheOrderKept() throws Exception {
    int threads = 4;
    int each = 200;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < each; i++) {
                  end(id + "-" + i);
                }
              });
      thread.start();
      started.add(thread);
    }
    List<ChannelRead> waiting = new CopyOnWriteArrayList<>();
    channel.poll(0, waiting::add);
    go.countDown();
    for (Thread thread : started) {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    List<ChannelEnding> all = read(0).endings();
    assertEquals(threads * each, all.size());
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i + 1, all.get(i).seq());
    }
    for (int t = 0; t < threads; t++) {
      String prefix = t + "-";
      List<String> mine =
          all.stream().map(ChannelEnding::requestId).filter(r -> r.startsWith(prefix)).toList();
      for (int i = 0; i < each; i++) {
        assertEquals(prefix + i, mine.get(i), "one thread's endings keep their order");
      }
    }
    assertEquals(1, waiting.size(), "the waiting poll was answered once");
  }
}
