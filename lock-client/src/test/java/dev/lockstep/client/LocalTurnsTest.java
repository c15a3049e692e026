package dev.lockstep.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Turns per lock name within one client: other threads wait, the holding thread re-enters. */
class LocalTurnsTest {
  private final LocalTurns turns = new LocalTurns();
  private final ExecutorService other = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    other.shutdownNow();
  }

  @Test
  void holdingThread_takesAgainAtOnce_asAReentry() throws Exception {
    LocalTurns.Ticket first = turns.take("a", Optional.of(Duration.ZERO)).orElseThrow();

    Optional<LocalTurns.Ticket> again = turns.take("a", Optional.of(Duration.ZERO));

    assertFalse(first.reentered());
    assertTrue(again.isPresent(), "the holding thread must not wait for itself");
    assertTrue(again.get().reentered());
  }

  @Test
  void otherThread_waitsUntilTheTurnEnds() throws Exception {
    LocalTurns.Ticket first = turns.take("a", Optional.of(Duration.ZERO)).orElseThrow();

    assertTrue(
        other
            .submit(() -> turns.take("a", Optional.of(Duration.ofMillis(100))))
            .get(5, TimeUnit.SECONDS)
            .isEmpty(),
        "another thread must wait while the turn is out");
    Future<Optional<LocalTurns.Ticket>> waiting =
        other.submit(() -> turns.take("a", Optional.of(Duration.ofSeconds(5))));
    first.end();

    Optional<LocalTurns.Ticket> next = waiting.get(5, TimeUnit.SECONDS);
    assertTrue(next.isPresent());
    assertFalse(next.get().reentered());
  }

  @Test
  void reentry_endingFirst_endsTheSharedTurn_andTheStaleTicketEndsNothingLater() throws Exception {
    LocalTurns.Ticket first = turns.take("a", Optional.of(Duration.ZERO)).orElseThrow();
    LocalTurns.Ticket again = turns.take("a", Optional.of(Duration.ZERO)).orElseThrow();

    again.end(); // one grant: whichever handle releases first ends the turn
    Optional<LocalTurns.Ticket> theirs =
        other
            .submit(() -> turns.take("a", Optional.of(Duration.ofSeconds(5))))
            .get(5, TimeUnit.SECONDS);
    assertTrue(theirs.isPresent());
    first.end(); // stale: must not end the other thread's turn

    assertTrue(
        turns.take("a", Optional.of(Duration.ofMillis(100))).isEmpty(),
        "the other thread still holds the turn");
    theirs.get().end();
    assertTrue(turns.take("a", Optional.of(Duration.ZERO)).isPresent());
  }

  @Test
  void names_haveTurnsOfTheirOwn() throws Exception {
    turns.take("a", Optional.of(Duration.ZERO));

    assertTrue(
        other
            .submit(() -> turns.take("b", Optional.of(Duration.ZERO)))
            .get(5, TimeUnit.SECONDS)
            .isPresent());
  }
}
