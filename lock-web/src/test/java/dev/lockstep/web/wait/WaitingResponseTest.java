package dev.lockstep.web.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.Response;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * A queued acquire's answer leaves the thread that ended the wait: that thread serves the release
 * that granted it, and completing the suspended request there is what logged Weld's warnings.
 */
class WaitingResponseTest {
  /** Holds what it is given until the test runs it, as the managed executor would later. */
  private final Queue<Runnable> resumer = new ArrayDeque<>();

  private final WaitingResponse waiting = new WaitingResponse((Executor) resumer::add);

  private CompletableFuture<Response> answer() {
    return waiting.answer().toCompletableFuture();
  }

  @Test
  void answer_isNotCompletedOnTheCallingThread_butByTheResumer() {
    waiting.answer(Response.noContent().build());

    assertFalse(answer().isDone(), "completed on the thread that ended the wait");
    assertEquals(1, resumer.size());

    resumer.poll().run();

    assertEquals(204, answer().join().getStatus());
  }

  @Test
  void answer_ofAWatchedConnection_closesItAfterTheAnswer() {
    waiting.watchConnection(() -> Optional.of(() -> {}));

    waiting.answer(Response.ok("granted").build());
    resumer.poll().run();

    assertEquals("close", answer().join().getHeaderString("Connection"));
    assertEquals("granted", answer().join().getEntity());
  }

  @Test
  void answer_ofAnUnwatchedConnection_keepsIt() {
    waiting.answer(Response.ok("granted").build());
    resumer.poll().run();

    assertNull(answer().join().getHeaderString("Connection"));
  }

  @Test
  void watchConnection_afterTheAnswer_startsNoWatch_evenBeforeTheAnswerIsWritten() {
    waiting.answer(Response.noContent().build());
    boolean[] started = {false};

    waiting.watchConnection(
        () -> {
          started[0] = true;
          return Optional.empty();
        });

    assertFalse(started[0], "a watch started after the answer was on its way");
  }

  @Test
  void cancel_dropsTheAnswerAtOnce() {
    waiting.cancel();

    assertTrue(answer().isCancelled());
    assertTrue(resumer.isEmpty());
  }
}
