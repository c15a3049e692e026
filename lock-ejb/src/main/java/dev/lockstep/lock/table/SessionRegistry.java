package dev.lockstep.lock.table;

import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.session.SessionToken;
import dev.lockstep.lock.session.SessionTokenIssuer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The table's sessions, by id and by expiry, and who a bearer token speaks for. A session whose TTL
 * has passed is unknown here even before the expiry sweep reaps it, so no request can act for it in
 * the moment between the two.
 *
 * <p>Refusals are {@link LockTableException}s with the statuses of the wire contract: {@code
 * unauthorized} (401) for a missing, malformed or unknown token or a wrong secret, {@code
 * forbidden} (403) for a valid token of another session, {@code not-found} (404) for a session that
 * does not (or no longer) exist, {@code too-many} (413) when the server holds its maximum.
 */
final class SessionRegistry {
  private final Clock clock;
  private final SessionTokenIssuer issuer;
  private final int maxSessions;
  // Sorted so that the session listing pages through ids as a range; a lookup costs O(log n).
  private final NavigableMap<String, Session> byId = new TreeMap<>();
  private final TreeSet<Session> byExpiry =
      new TreeSet<>(Comparator.comparing((Session s) -> s.expiresAt).thenComparing(s -> s.id));

  SessionRegistry(Clock clock, SessionTokenIssuer issuer, int maxSessions) {
    this.clock = clock;
    this.issuer = issuer;
    this.maxSessions = maxSessions;
  }

  /** Opens a session under a new token; {@code too-many} when the server holds its maximum. */
  OpenedSession open(String name, Duration ttl, Duration lockDelay, Instant now) {
    if (byId.size() >= maxSessions) {
      throw new LockTableException(
          ProblemType.TOO_MANY, "the server holds its maximum of " + maxSessions + " sessions");
    }
    SessionToken token = issuer.issue();
    while (byId.containsKey(token.sessionId())) {
      token = issuer.issue(); // 96 random bits make this loop a formality
    }
    Session session =
        new Session(
            token.sessionId(), name, ttl, lockDelay, token.secretHash(), now, now.plus(ttl));
    add(session);
    return new OpenedSession(session.snapshot(), token);
  }

  /**
   * Takes back a stored session with a grace period: it expires no sooner than now plus its TTL, so
   * that its client can reconnect after a restart and keep it alive.
   */
  Session restore(SessionSnapshot s, Instant now) {
    Instant graced = s.expiresAt().isAfter(now.plus(s.ttl())) ? s.expiresAt() : now.plus(s.ttl());
    Session session =
        new Session(s.id(), s.name(), s.ttl(), s.lockDelay(), s.tokenHash(), s.createdAt(), graced);
    add(session);
    return session;
  }

  /** Extends the session's lease to {@code now} plus its TTL. */
  void renew(Session session, Instant now) {
    byExpiry.remove(session);
    session.expiresAt = now.plus(session.ttl);
    byExpiry.add(session);
  }

  void remove(Session session) {
    byId.remove(session.id);
    byExpiry.remove(session);
  }

  /** The session, whether or not its TTL has passed: for what the table itself points at. */
  Optional<Session> find(String sessionId) {
    return Optional.ofNullable(byId.get(sessionId));
  }

  /** The session if it exists and its TTL has not passed; reaping may lag, this does not. */
  Optional<Session> live(String sessionId) {
    Session session = byId.get(sessionId);
    return session != null && session.expiresAt.isAfter(clock.instant())
        ? Optional.of(session)
        : Optional.empty();
  }

  /** The session the bearer token speaks for, or {@code unauthorized}. */
  Session authenticate(String bearer) {
    SessionToken token = parse(bearer);
    return live(token.sessionId())
        .filter(session -> token.matches(session.tokenHash))
        .orElseThrow(
            () ->
                new LockTableException(
                    ProblemType.UNAUTHORIZED,
                    "unknown session token (the session expired, was deleted, or the token is"
                        + " wrong)"));
  }

  /**
   * The session {@code sessionId} when the token is its own. The token is read first ({@code
   * unauthorized} when missing), then the target ({@code not-found}), then whose token it is:
   * another live session's is {@code forbidden}, anything else {@code unauthorized}.
   */
  Session authorize(String sessionId, String bearer) {
    SessionToken token = parse(bearer);
    Session target =
        live(sessionId)
            .orElseThrow(
                () ->
                    new LockTableException(
                        ProblemType.NOT_FOUND,
                        "no session "
                            + sessionId
                            + " (it expired, was deleted, or never existed)"));
    if (!token.sessionId().equals(sessionId)) {
      boolean another = live(token.sessionId()).filter(s -> token.matches(s.tokenHash)).isPresent();
      if (another) {
        throw new LockTableException(
            ProblemType.FORBIDDEN,
            "the token belongs to another session; a session acts only for itself");
      }
      throw new LockTableException(ProblemType.UNAUTHORIZED, "unknown session token");
    }
    if (!token.matches(target.tokenHash)) {
      throw new LockTableException(
          ProblemType.UNAUTHORIZED, "wrong token for session " + sessionId);
    }
    return target;
  }

  /**
   * One page of the live sessions in id order, after the id {@code after} (empty or null: from the
   * first), whose name starts with {@code namePrefix} (empty or null: all). A page looks at no more
   * than {@link TableLimits#MAX_SESSIONS_SCANNED} sessions: with a rare prefix it may end short,
   * even empty, with a {@code next} to go on from. Thrown: {@code bad-request} for a limit outside
   * [1, {@link TableLimits#MAX_SESSION_PAGE}] or a prefix or cursor longer than a session name or
   * id can be.
   */
  SessionPage page(String namePrefix, String after, int limit) {
    RequestCheck.pageLimit(limit);
    RequestCheck.text("prefix", namePrefix, TableLimits.MAX_SESSION_NAME_LENGTH);
    RequestCheck.text("after", after, TableLimits.MAX_SESSION_NAME_LENGTH);
    return page(
        namePrefix == null ? "" : namePrefix,
        after == null ? "" : after,
        limit,
        TableLimits.MAX_SESSIONS_SCANNED);
  }

  /**
   * Up to {@code limit} live sessions whose name starts with {@code namePrefix} (empty: every
   * session, named or not), in id order after {@code after} (empty: from the first). A name filter
   * is not indexed: a page looks at no more than {@code scanned} sessions, and when it stops there
   * short of {@code limit} matches its {@code next} is the last id it looked at.
   */
  SessionPage page(String namePrefix, String after, int limit, int scanned) {
    List<SessionSnapshot> found = new ArrayList<>();
    Optional<String> next = Optional.empty();
    Instant now = clock.instant();
    NavigableMap<String, Session> from = after.isEmpty() ? byId : byId.tailMap(after, false);
    int looked = 0;
    for (Session session : from.values()) {
      if (looked++ == scanned) {
        next = Optional.of(byId.lowerKey(session.id));
        break;
      }
      boolean named =
          namePrefix.isEmpty() || (session.name != null && session.name.startsWith(namePrefix));
      if (!named || !session.expiresAt.isAfter(now)) {
        continue;
      }
      if (found.size() == limit) {
        next = Optional.of(found.get(limit - 1).id());
        break;
      }
      found.add(session.snapshot());
    }
    return new SessionPage(found, byId.size(), next);
  }

  /** The session that expires first; on equal instants the smaller id. */
  Optional<Session> firstToExpire() {
    return byExpiry.isEmpty() ? Optional.empty() : Optional.of(byExpiry.first());
  }

  int size() {
    return byId.size();
  }

  boolean isEmpty() {
    return byId.isEmpty();
  }

  private void add(Session session) {
    byId.put(session.id, session);
    byExpiry.add(session);
  }

  private static SessionToken parse(String bearer) {
    return SessionToken.parse(bearer)
        .orElseThrow(
            () ->
                new LockTableException(
                    ProblemType.UNAUTHORIZED,
                    "a session token is required: Authorization: Bearer <token>"));
  }
}
