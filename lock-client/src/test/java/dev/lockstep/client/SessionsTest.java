package dev.lockstep.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.KeepAliveAnswer;
import dev.lockstep.api.SessionCreated;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Chubby's session states, driven by a fake clock and fake session calls (no server): a failing
 * keep-alive puts the session in jeopardy, and it is lost once the TTL has certainly passed since
 * the last keep-alive that got through was sent.
 */
class SessionsTest {
  private static final Duration TTL = Duration.ofSeconds(60);
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /** A clock that moves only when told. */
  private static final class FakeClock extends Clock {
    private volatile Instant now = START;

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  /** Session calls answered here: each keep-alive runs {@code nextKeepAlive}. */
  private final class FakeCalls implements SessionCalls {
    volatile Runnable nextKeepAlive = () -> {};

    @Override
    public SessionCreated openSession(Duration ttl, Optional<String> name) {
      return new SessionCreated(
          "s1", "s1.secret", name.orElse(null), ttl.toMillis(), 0, clock.instant().plus(ttl));
    }

    @Override
    public KeepAliveAnswer keepAlive(String id, String token) {
      nextKeepAlive.run();
      return new KeepAliveAnswer(id, clock.instant().plus(TTL));
    }

    @Override
    public void closeSession(String id, String token) {}
  }

  private final FakeClock clock = new FakeClock();
  private final FakeCalls calls = new FakeCalls();

  // The keep-alive timer fires every TTL/4 of real time: never within a test. The test calls
  // keepAliveOnce() itself, at the fake times it chooses.
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final Sessions sessions = new Sessions(calls, TTL, Optional.empty(), scheduler, clock);
  private final List<String> changes = new CopyOnWriteArrayList<>();

  SessionsTest() {
    sessions.addListener((id, from, to) -> changes.add(from + "->" + to));
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private static void unreachable() {
    throw new ServerException("lock server unreachable: connection refused", null);
  }

  @Test
  void keepAliveFailing_movesLiveToJeopardy_thenLostOnceTtlPassedSinceLastGoodOneWasSent() {
    sessions.live(); // opened at START
    clock.advance(Duration.ofSeconds(15));
    // A keep-alive sent at START+15s that takes 10 s to be answered: the TTL runs from its send.
    calls.nextKeepAlive = () -> clock.advance(Duration.ofSeconds(10));
    sessions.keepAliveOnce();
    assertEquals(SessionState.LIVE, sessions.state());

    clock.advance(Duration.ofSeconds(5)); // START+30s
    calls.nextKeepAlive = SessionsTest::unreachable;
    sessions.keepAliveOnce();
    assertEquals(SessionState.JEOPARDY, sessions.state());

    clock.advance(Duration.ofSeconds(45).minusMillis(1)); // 1 ms before START+15s+TTL
    assertEquals(SessionState.JEOPARDY, sessions.state());
    clock.advance(Duration.ofMillis(1));
    assertEquals(SessionState.LOST, sessions.state());

    assertEquals(List.of("NONE->LIVE", "LIVE->JEOPARDY", "JEOPARDY->LOST"), changes);
  }

  @Test
  void noKeepAliveAnswered_liveIsRefusedAsLost_onceTtlPassedSinceTheOpenWasSent() {
    sessions.live();
    clock.advance(TTL.minusMillis(1));
    assertEquals(SessionState.LIVE, sessions.state());

    clock.advance(Duration.ofMillis(1));
    SessionUnavailableException refused =
        assertThrows(SessionUnavailableException.class, sessions::live);

    assertEquals(SessionState.LOST, refused.state());
    assertEquals(List.of("NONE->LIVE", "LIVE->LOST"), changes);
  }

  @Test
  void keepAliveGettingThroughInJeopardy_bringsTheSessionBackToLive() {
    sessions.live();
    clock.advance(Duration.ofSeconds(15));
    calls.nextKeepAlive = SessionsTest::unreachable;
    sessions.keepAliveOnce();
    clock.advance(Duration.ofSeconds(15));
    calls.nextKeepAlive = () -> {};
    sessions.keepAliveOnce(); // sent at START+30s

    clock.advance(Duration.ofSeconds(59)); // past START+TTL, before START+30s+TTL
    assertEquals(SessionState.LIVE, sessions.state());
    assertEquals(List.of("NONE->LIVE", "LIVE->JEOPARDY", "JEOPARDY->LIVE"), changes);
  }

  @Test
  void keepAliveAnswered404_losesTheSessionAtOnce() {
    sessions.live();
    calls.nextKeepAlive =
        () -> {
          throw new ServerException(404, "no such session");
        };

    sessions.keepAliveOnce();

    assertEquals(SessionState.LOST, sessions.state());
    assertEquals(List.of("NONE->LIVE", "LIVE->LOST"), changes);
  }

  @Test
  void failedCallOfTheSession_unansweredOr5xx_isJeopardyAtOnce_aRefusalIsNot() {
    String id = sessions.live().id();
    calls.nextKeepAlive = SessionsTest::unreachable; // the retry jeopardy schedules fails too

    sessions.lostWith(id, new ServerException(409, "conflict"));
    assertEquals(SessionState.LIVE, sessions.state(), "an answer, not a failure");
    sessions.lostWith(id, new ServerException(503, "unavailable"));
    assertEquals(SessionState.JEOPARDY, sessions.state());

    assertEquals(List.of("NONE->LIVE", "LIVE->JEOPARDY"), changes);
  }

  @Test
  void failedCallUnanswered_isJeopardyAtOnce() {
    String id = sessions.live().id();
    calls.nextKeepAlive = SessionsTest::unreachable;

    sessions.lostWith(id, new ServerException("read timed out", null));

    assertEquals(SessionState.JEOPARDY, sessions.state());
  }

  @Test
  void lostRefusals_sayWhetherTheServerDroppedItOrTheTtlPassed() {
    sessions.live();
    clock.advance(TTL);
    String ttlPassed = assertThrows(SessionUnavailableException.class, sessions::live).getMessage();

    Sessions other = new Sessions(calls, TTL, Optional.empty(), scheduler, clock);
    String id = other.live().id();
    other.markLost(id);
    String dropped = assertThrows(SessionUnavailableException.class, other::live).getMessage();

    assertTrue(ttlPassed.contains("TTL (PT1M) passed"), ttlPassed);
    assertTrue(dropped.contains("server no longer has it"), dropped);
  }
}
