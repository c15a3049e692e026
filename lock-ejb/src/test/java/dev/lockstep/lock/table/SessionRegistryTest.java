package dev.lockstep.lock.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.session.SessionToken;
import dev.lockstep.lock.session.SessionTokenIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The sessions on their own: who a bearer token speaks for (401 for no, a malformed or an unknown
 * token, 403 for another session's, 404 for a session that is not there), a TTL that has passed
 * before the sweep reaps, and the expiry index kept in step with keep-alives and ends.
 */
class SessionRegistryTest {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration TTL = Duration.ofSeconds(10);

  private final MutableClock clock = new MutableClock(START);
  private final SessionRegistry registry =
      new SessionRegistry(clock, new SessionTokenIssuer(new SplittableRandom(3)), 3);

  // ---------------------------------------------------------------- open

  @Test
  void open_issuesATokenThatSpeaksForTheNewSession() {
    OpenedSession opened = registry.open("worker", TTL, Duration.ZERO, START);

    Session session = registry.authenticate(opened.token().value());

    assertEquals(opened.session().id(), session.id);
    assertEquals(opened.token().sessionId(), session.id);
    assertEquals(START.plus(TTL), session.expiresAt);
    assertEquals(1, registry.size());
  }

  @Test
  void open_atTheMaximum_isTooManyAndOpensNothing() {
    for (int i = 0; i < 3; i++) {
      registry.open("s" + i, TTL, Duration.ZERO, START);
    }

    refused(ProblemType.TOO_MANY, () -> registry.open("one more", TTL, Duration.ZERO, START));

    assertEquals(3, registry.size());
  }

  // ---------------------------------------------------------------- authenticate: 401 only

  @Test
  void authenticate_withoutAToken_isUnauthorized() {
    registry.open("worker", TTL, Duration.ZERO, START);

    refused(ProblemType.UNAUTHORIZED, () -> registry.authenticate(null));
    refused(ProblemType.UNAUTHORIZED, () -> registry.authenticate(""));
  }

  @Test
  void authenticate_withAMalformedToken_isUnauthorized() {
    refused(ProblemType.UNAUTHORIZED, () -> registry.authenticate("no-dot-at-all"));
    refused(ProblemType.UNAUTHORIZED, () -> registry.authenticate("a.b.c"));
  }

  @Test
  void authenticate_withAnUnknownSession_isUnauthorized() {
    refused(
        ProblemType.UNAUTHORIZED,
        () -> registry.authenticate(new SessionToken("nobody", "secret").value()));
  }

  @Test
  void authenticate_withTheWrongSecret_isUnauthorized() {
    String id = registry.open("worker", TTL, Duration.ZERO, START).session().id();

    refused(
        ProblemType.UNAUTHORIZED,
        () -> registry.authenticate(new SessionToken(id, "guessed").value()));
  }

  @Test
  void authenticate_afterTheTtlPassed_isUnauthorizedBeforeTheSessionIsReaped() {
    OpenedSession opened = registry.open("worker", TTL, Duration.ZERO, START);
    clock.advance(TTL);

    refused(ProblemType.UNAUTHORIZED, () -> registry.authenticate(opened.token().value()));

    assertEquals(Optional.empty(), registry.live(opened.session().id()));
    assertTrue(registry.find(opened.session().id()).isPresent(), "not reaped yet");
  }

  // ---------------------------------------------------------------- authorize: 401, 403, 404

  @Test
  void authorize_withItsOwnToken_isTheSession() {
    OpenedSession opened = registry.open("worker", TTL, Duration.ZERO, START);

    Session session = registry.authorize(opened.session().id(), opened.token().value());

    assertEquals(opened.session().id(), session.id);
  }

  @Test
  void authorize_withoutAToken_isUnauthorizedEvenForNoSuchSession() {
    refused(ProblemType.UNAUTHORIZED, () -> registry.authorize("nobody", null));
  }

  @Test
  void authorize_forNoSuchSession_isNotFound() {
    OpenedSession mine = registry.open("worker", TTL, Duration.ZERO, START);

    refused(ProblemType.NOT_FOUND, () -> registry.authorize("nobody", mine.token().value()));
  }

  @Test
  void authorize_forAnExpiredSession_isNotFound() {
    OpenedSession opened = registry.open("worker", TTL, Duration.ZERO, START);
    clock.advance(TTL);

    refused(
        ProblemType.NOT_FOUND,
        () -> registry.authorize(opened.session().id(), opened.token().value()));
  }

  @Test
  void authorize_withAnotherLiveSessionsToken_isForbidden() {
    OpenedSession target = registry.open("target", TTL, Duration.ZERO, START);
    OpenedSession other = registry.open("other", TTL, Duration.ZERO, START);

    refused(
        ProblemType.FORBIDDEN,
        () -> registry.authorize(target.session().id(), other.token().value()));
  }

  @Test
  void authorize_withAnotherSessionsWrongSecret_isUnauthorized() {
    OpenedSession target = registry.open("target", TTL, Duration.ZERO, START);
    String other = registry.open("other", TTL, Duration.ZERO, START).session().id();

    refused(
        ProblemType.UNAUTHORIZED,
        () -> registry.authorize(target.session().id(), new SessionToken(other, "x").value()));
  }

  @Test
  void authorize_withAnExpiredOtherSessionsToken_isUnauthorized() {
    OpenedSession target = registry.open("target", Duration.ofSeconds(60), Duration.ZERO, START);
    OpenedSession other = registry.open("other", TTL, Duration.ZERO, START);
    clock.advance(TTL);

    refused(
        ProblemType.UNAUTHORIZED,
        () -> registry.authorize(target.session().id(), other.token().value()));
  }

  @Test
  void authorize_withItsOwnIdButTheWrongSecret_isUnauthorized() {
    String id = registry.open("worker", TTL, Duration.ZERO, START).session().id();

    refused(
        ProblemType.UNAUTHORIZED,
        () -> registry.authorize(id, new SessionToken(id, "guessed").value()));
  }

  // ---------------------------------------------------------------- the expiry index

  @Test
  void firstToExpire_followsRenewalsAndEnds() {
    Session a = opened("a", Duration.ofSeconds(5));
    Session b = opened("b", Duration.ofSeconds(8));
    assertSame(a, registry.firstToExpire().orElseThrow());

    clock.advance(Duration.ofSeconds(4));
    registry.renew(a, clock.instant());

    assertEquals(START.plusSeconds(9), a.expiresAt);
    assertSame(b, registry.firstToExpire().orElseThrow(), "a renewal moves a in the index");

    registry.remove(b);

    assertSame(a, registry.firstToExpire().orElseThrow());
    assertEquals(Optional.empty(), registry.find(b.id));
    assertEquals(1, registry.size());
    registry.remove(a);
    assertEquals(Optional.empty(), registry.firstToExpire());
    assertTrue(registry.isEmpty());
  }

  @Test
  void remove_makesTheTokenUnknown() {
    OpenedSession opened = registry.open("worker", TTL, Duration.ZERO, START);
    Session session = registry.authenticate(opened.token().value());

    registry.remove(session);

    refused(ProblemType.UNAUTHORIZED, () -> registry.authenticate(opened.token().value()));
    refused(
        ProblemType.NOT_FOUND,
        () -> registry.authorize(opened.session().id(), opened.token().value()));
  }

  @Test
  void restore_givesAGracePeriodOfOneTtlFromNow() {
    SessionSnapshot lapsed =
        new SessionSnapshot(
            "old", "n", TTL, Duration.ZERO, new byte[32], START, START.plusSeconds(1), List.of());
    SessionSnapshot later =
        new SessionSnapshot(
            "far", "n", TTL, Duration.ZERO, new byte[32], START, START.plusSeconds(60), List.of());
    clock.advance(Duration.ofSeconds(30));

    Session restoredLapsed = registry.restore(lapsed, clock.instant());
    Session restoredLater = registry.restore(later, clock.instant());

    assertEquals(clock.instant().plus(TTL), restoredLapsed.expiresAt);
    assertEquals(START.plusSeconds(60), restoredLater.expiresAt, "a later expiry is kept");
    assertSame(restoredLapsed, registry.firstToExpire().orElseThrow());
  }

  // ---------------------------------------------------------------- helpers

  private Session opened(String name, Duration ttl) {
    OpenedSession opened = registry.open(name, ttl, Duration.ZERO, clock.instant());
    return registry.find(opened.session().id()).orElseThrow();
  }

  private static void refused(ProblemType type, Executable call) {
    LockTableException e = assertThrows(LockTableException.class, call);
    assertEquals(type, e.type(), e.getMessage());
  }
}
