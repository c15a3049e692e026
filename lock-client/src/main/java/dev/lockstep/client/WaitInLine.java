package dev.lockstep.client;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.LockMode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One acquire's wait in the lock's line, on the server, with a deadline the caller can count on
 * whatever the server does. The request goes in a batch ({@link SessionRequests}), which the server
 * answers at once, granted, refused or queued; a queued wait's ending comes on the session's grant
 * channel. The caller waits on that answer with a timeout of its own, so a frozen server, an
 * interrupt or the deadline end the wait at once. A wait the server lost (a reset of the channel,
 * as after a restart) is queued again for what is left of it.
 *
 * <p>A wait longer than {@link #SEGMENT} (an acquire without a deadline) is a series of requests
 * that keep the place in line: {@link #RESEND_LEAD} before a request's wait runs out on the server,
 * the same request is sent again, and the server answers the older one {@code 409} and keeps the
 * session's place (README, "What the server adds to the contract").
 *
 * <p>A wait given up before its answer (timed out, interrupted) may still be in line or granted on
 * the server, or not even read yet (a frozen server reads it when it resumes). Each request carries
 * a {@code requestId} of its own, and a request given up is cancelled by it ({@code DELETE
 * ...?request=}) until the server answers the cancel: from then on it holds nothing and never will
 * (withdrawn, released, or refused when it comes), while a later request of this session (a pounce
 * back in line) is untouched. The local turn is given back only then, so no other thread of this
 * client acquires the name while the old request could still be granted.
 */
final class WaitInLine implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WaitInLine.class.getName());

  /** The longest wait one request asks for. */
  static final Duration SEGMENT = Duration.ofSeconds(30);

  /** How long before a segment's end its successor is sent. */
  static final Duration RESEND_LEAD = Duration.ofSeconds(2);

  private final SessionRequests calls;
  private final Predicate<String> sessionGone;
  private final Duration segment;
  private final Duration lead;
  private final ExecutorService cleanup =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "lockstep-abandoned-wait");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param sessionGone whether the client knows the session of this id lost or closed (its locks
   *     are then released on the server, and nothing is left to clean up)
   */
  WaitInLine(SessionRequests calls, Predicate<String> sessionGone) {
    this(calls, sessionGone, SEGMENT, RESEND_LEAD);
  }

  /** With shorter segments, so that a test sees several re-sends. */
  WaitInLine(
      SessionRequests calls, Predicate<String> sessionGone, Duration segment, Duration lead) {
    this.calls = calls;
    this.sessionGone = sessionGone;
    this.segment = segment;
    this.lead = lead;
  }

  /**
   * Waits for the grant up to {@code timeout} (empty: as long as it takes). A grant leaves the turn
   * with the caller; otherwise (empty, or any exception) this arranges for {@code endTurn} to run
   * once no request of this wait can be granted any more.
   *
   * @throws InterruptedException when interrupted (the flag is cleared, as usual); the request is
   *     withdrawn before this returns
   * @throws ServerException when the server refused, was unreachable, or did not answer in time
   */
  Optional<GrantView> await(
      Sessions.Live session,
      String name,
      LockMode mode,
      String owner,
      Optional<Duration> timeout,
      Runnable endTurn)
      throws InterruptedException {
    long deadline = timeout.map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
    Request current = send(session, name, mode, owner, deadline);
    Optional<GrantView> granted = Optional.empty();
    try {
      while (true) {
        boolean last = current.ends() >= deadline;
        long patience =
            current.ends()
                - System.nanoTime()
                + (last ? LockHttp.WAIT_MARGIN.toNanos() : -lead.toNanos());
        try {
          granted = Optional.of(current.answer().get(Math.max(0, patience), TimeUnit.NANOSECONDS));
          return granted;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof GrantChannel.WaitResetException) {
            // The server lost the wait (it restarted): queue again for what is left of it.
            current = send(session, name, mode, owner, deadline);
            continue;
          }
          // A refusal before the deadline: the request was withdrawn (a cancelled pounce), or
          // the server refused it (a deadlock); either way this wait is over.
          throw rethrow(e);
        } catch (TimeoutException e) {
          if (last) {
            throw notAnswering(name, current);
          }
          Request next = send(session, name, mode, owner, deadline);
          try {
            granted =
                Optional.of(
                    current
                        .answer()
                        .get(lead.plus(LockHttp.WAIT_MARGIN).toNanos(), TimeUnit.NANOSECONDS));
            // Granted just before the re-send: the server answers that one with the same grant.
            settle(next);
            return granted;
          } catch (ExecutionException superseded) {
            if (!(superseded.getCause() instanceof LockNotGrantedException)) {
              abandon(session, name, next, () -> {});
              throw rethrow(superseded);
            }
            current = next; // the server kept the place for the re-sent request
          } catch (TimeoutException unanswered) {
            abandon(session, name, next, () -> {});
            throw notAnswering(name, current);
          } catch (InterruptedException interrupted) {
            abandon(session, name, next, () -> {});
            throw interrupted;
          }
        }
      }
    } catch (InterruptedException e) {
      cancelQuietly(session, name, current); // at once: the line must not keep us
      throw e;
    } finally {
      if (granted.isEmpty()) {
        abandon(session, name, current, endTurn);
      }
    }
  }

  /** One request in line: its name, its answer, and when the server ends its wait. */
  private record Request(String id, CompletableFuture<GrantView> answer, long ends) {}

  private Request send(
      Sessions.Live session, String name, LockMode mode, String owner, long deadline) {
    long now = System.nanoTime();
    long wait = Math.max(0, Math.min(segment.toNanos(), deadline - now));
    String id = RequestIds.next();
    return new Request(
        id, calls.acquire(session, name, mode, owner, Duration.ofNanos(wait), id), now + wait);
  }

  /** Waits briefly for a re-sent request that the server answers at once. */
  private void settle(Request next) {
    try {
      next.answer().get(calls.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.FINE, "the re-sent acquire after a grant", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Makes sure the request holds nothing and never will, then runs {@code endTurn}: at once when
   * the server answered it with a refusal; else on a thread of its own, which cancels it by its
   * name until the server answers the cancel or the session is gone.
   */
  private void abandon(Sessions.Live session, String name, Request request, Runnable endTurn) {
    CompletableFuture<GrantView> answer = request.answer();
    if (answer.isDone() && refused(answer)) {
      endTurn.run();
      return;
    }
    try {
      cleanup.execute(
          () -> {
            try {
              cancelUntilAnswered(session, name, request);
            } catch (InterruptedException | RuntimeException e) {
              LOG.log(Level.FINE, "cleaning up an abandoned wait for " + name, e);
            } finally {
              endTurn.run();
            }
          });
    } catch (RuntimeException closed) {
      endTurn.run(); // the client is closing: its session goes, and every request with it
    }
  }

  /** Whether the server answered the request with a refusal, so that it holds nothing of it. */
  private static boolean refused(CompletableFuture<GrantView> answer) {
    if (!answer.isCompletedExceptionally() || answer.isCancelled()) {
      return false;
    }
    Throwable failure = answer.handle((grant, e) -> e).join();
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    return cause instanceof LockNotGrantedException
        || (cause instanceof ServerException e && e.status() >= 400 && e.status() < 500);
  }

  private void cancelUntilAnswered(Sessions.Live session, String name, Request request)
      throws InterruptedException {
    while (!sessionGone.test(session.id())) {
      try {
        calls.cancel(session.token(), name, request.id());
        return;
      } catch (ServerException e) {
        if (e.status() != 0 && e.status() < 500) {
          return; // answered: the session is gone, or the call refused
        }
        Thread.sleep(KeepAliveTimer.RETRY_MAX.toMillis());
      }
    }
  }

  private void cancelQuietly(Sessions.Live session, String name, Request request) {
    try {
      calls.cancel(session.token(), name, request.id());
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "cancelling the request for " + name, e);
    }
  }

  private static ServerException notAnswering(String name, Request request) {
    return new ServerException(
        "the lock server did not answer the acquire of "
            + name
            + " within its wait plus "
            + LockHttp.WAIT_MARGIN.toMillis()
            + " ms",
        null);
  }

  private static RuntimeException rethrow(ExecutionException e) {
    return e.getCause() instanceof RuntimeException r
        ? r
        : new LockstepException("acquire failed: " + e.getCause(), e.getCause());
  }

  @Override
  public void close() {
    cleanup.shutdownNow();
  }
}
