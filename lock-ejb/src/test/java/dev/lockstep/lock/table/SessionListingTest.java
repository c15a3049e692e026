package dev.lockstep.lock.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.session.SessionTokenIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The session listing the dashboard pages through: live sessions in id order, a page at a time,
 * filtered by name prefix, with the locks each holds; never one answer of every session.
 */
class SessionListingTest {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration TTL = Duration.ofSeconds(10);

  private final MutableClock clock = new MutableClock(START);
  private final LockTable table =
      new LockTable(clock, TableLimits.defaults(), new SessionTokenIssuer(new SplittableRandom(5)));

  @Test
  void sessions_pagedWithNext_coverEveryLiveSessionOnceInIdOrder() {
    List<String> opened = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      opened.add(open("worker-" + i, TTL).session().id());
    }

    List<String> seen = new ArrayList<>();
    Optional<String> after = Optional.empty();
    int pages = 0;
    do {
      SessionPage page = table.sessions(null, after.orElse(null), 3);
      assertEquals(7, page.total());
      assertTrue(page.sessions().size() <= 3, "a page holds at most limit sessions");
      page.sessions().forEach(s -> seen.add(s.id()));
      after = page.next();
      pages++;
    } while (after.isPresent());

    assertEquals(3, pages, "7 sessions in pages of 3");
    assertEquals(opened.stream().sorted().toList(), seen);
  }

  @Test
  void sessions_whenTheLastPageIsExactlyFull_haveNoNext() {
    for (int i = 0; i < 4; i++) {
      open("w" + i, TTL);
    }

    SessionPage first = table.sessions("", "", 2);
    SessionPage second = table.sessions("", first.next().orElseThrow(), 2);

    assertEquals(2, second.sessions().size());
    assertEquals(Optional.empty(), second.next());
  }

  @Test
  void sessions_withNamePrefix_listOnlyThoseNamedSo_andTotalCountsAll() {
    String web1 = open("web-1", TTL).session().id();
    open("batch-1", TTL);
    String web2 = open("web-2", TTL).session().id();
    open(null, TTL);

    SessionPage page = table.sessions("web-", null, 10);

    assertEquals(Stream.of(web1, web2).sorted().toList(), ids(page));
    assertEquals(4, page.total());
    assertEquals(4, table.sessions("", null, 10).sessions().size(), "no prefix: unnamed too");
  }

  @Test
  void sessions_showNameTtlExpiryAndHeldLocks_andNoLongerAnExpiredOne() {
    OpenedSession holder = open("holder", TTL);
    open("short", Duration.ofSeconds(2));
    table.acquire(
        holder.token().value(), new LockName("jobs/a"), LockMode.EXCLUSIVE, "me", Duration.ZERO);
    table.acquire(
        holder.token().value(), new LockName("jobs/b"), LockMode.SHARED, "me", Duration.ZERO);
    clock.advance(Duration.ofSeconds(2));

    SessionPage page = table.sessions(null, null, 10);

    assertEquals(1, page.sessions().size(), "the 2 s session's TTL has passed: " + page);
    SessionSnapshot shown = page.sessions().get(0);
    assertEquals("holder", shown.name());
    assertEquals(TTL, shown.ttl());
    assertEquals(START.plus(TTL), shown.expiresAt());
    assertEquals(List.of(new LockName("jobs/a"), new LockName("jobs/b")), shown.locks());
  }

  @Test
  void sessions_withARarePrefix_lookAtNoMoreThanTheScanLimitPerPage_andStillFindEveryMatch() {
    int count = TableLimits.MAX_SESSIONS_SCANNED + 2_000;
    List<String> rare = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      OpenedSession s = open(i % 4_000 == 0 ? "rare-" + i : "common-" + i, TTL);
      if (i % 4_000 == 0) {
        rare.add(s.session().id());
      }
    }

    List<String> seen = new ArrayList<>();
    Optional<String> after = Optional.empty();
    int pages = 0;
    do {
      SessionPage page = table.sessions("rare-", after.orElse(null), 100);
      page.sessions().forEach(s -> seen.add(s.id()));
      after = page.next();
      pages++;
    } while (after.isPresent());

    assertEquals(rare.stream().sorted().toList(), seen);
    assertEquals(
        2, pages, count + " sessions at most " + TableLimits.MAX_SESSIONS_SCANNED + " a page");
  }

  @Test
  void sessions_withLimitOutOfBounds_isBadRequest() {
    for (int limit : new int[] {0, -1, TableLimits.MAX_SESSION_PAGE + 1}) {
      LockTableException e =
          assertThrows(LockTableException.class, () -> table.sessions(null, null, limit));
      assertEquals(ProblemType.BAD_REQUEST, e.type(), "limit " + limit);
    }
    assertEquals(0, table.sessions(null, null, TableLimits.MAX_SESSION_PAGE).sessions().size());
  }

  @Test
  void sessions_withPrefixOrCursorTooLongOrControlCharacters_isBadRequest() {
    String tooLong = "x".repeat(TableLimits.MAX_SESSION_NAME_LENGTH + 1);
    for (String[] bad :
        new String[][] {{tooLong, null}, {null, tooLong}, {"a\nb", null}, {null, "\u0000"}}) {
      LockTableException e =
          assertThrows(LockTableException.class, () -> table.sessions(bad[0], bad[1], 10));
      assertEquals(ProblemType.BAD_REQUEST, e.type(), Arrays.toString(bad));
    }
  }

  private OpenedSession open(String name, Duration ttl) {
    return table.openSession(name, ttl, Duration.ZERO).result();
  }

  private static List<String> ids(SessionPage page) {
    return page.sessions().stream().map(SessionSnapshot::id).collect(Collectors.toList());
  }
}
