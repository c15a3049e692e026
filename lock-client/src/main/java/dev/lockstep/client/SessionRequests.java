package dev.lockstep.client;

import dev.lockstep.api.GrantView;
import dev.lockstep.api.KeepAliveAnswer;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.SessionCreated;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The calls of the client's session, coalesced ({@link Coalescer}): a release, withdraw or cancel
 * goes alone as its single call when no request of the session is in flight, and in the next batch
 * when one is; an acquire always goes in a batch, which answers a wait {@code 202 queued} at once,
 * and its ending comes on the session's one {@link GrantChannel}. Answers and refusals are those of
 * the single calls, whichever way an operation went. A keep-alive of the timer always goes alone;
 * one rides in a batch that leaves when it is due.
 */
final class SessionRequests implements SessionCalls, AutoCloseable {
  private final LockHttp http;
  private final Coalescer coalescer;
  private final Duration pollWait;
  private final Map<String, GrantChannel> channels = new ConcurrentHashMap<>();
  private volatile Optional<Sessions> riders = Optional.empty();
  private final ExecutorService pollers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "lockstep-grant-channel");
            t.setDaemon(true);
            return t;
          });

  SessionRequests(LockHttp http) {
    this(http, GrantChannel.POLL_WAIT);
  }

  /** With a shorter poll, so that a test sees the channel polled again. */
  SessionRequests(LockHttp http, Duration pollWait) {
    this.http = http;
    this.pollWait = pollWait;
    this.coalescer = new Coalescer(this::sendBatch);
  }

  /**
   * A batch's read timeout: that of its slowest operation alone, so that a loaded server gets as
   * long for a batch as for its single calls (an acquire its wait plus the margin, as the single
   * PUT had; one with a keep-alive in it no longer than the keep-alive's own).
   */
  private CompletableFuture<List<BatchWire.Result>> sendBatch(String token, List<Operation> ops) {
    boolean keepAlive = ops.stream().anyMatch(o -> o.kind() == Operation.Kind.KEEPALIVE);
    Duration timeout =
        keepAlive && http.keepAliveTimeout().compareTo(http.callTimeout()) < 0
            ? http.keepAliveTimeout()
            : http.callTimeout();
    for (Operation op : ops) {
      Duration own = op.waitFor().map(w -> w.plus(LockHttp.WAIT_MARGIN)).orElse(Duration.ZERO);
      if (own.compareTo(timeout) > 0) {
        timeout = own;
      }
    }
    Optional<Instant> rides = riders.flatMap(s -> s.keepAliveDue(token));
    if (rides.isEmpty()) {
      return http.batch(token, ops, timeout);
    }
    List<Operation> withKeepAlive = new ArrayList<>(ops);
    withKeepAlive.add(Operation.keepAlive(token));
    return http.batch(token, withKeepAlive, timeout)
        .thenApply(
            results -> {
              if (results.size() == withKeepAlive.size()) {
                if (results.get(ops.size()).status() == 200) {
                  riders.ifPresent(s -> s.keptAliveBy(token, rides.get()));
                }
                return results.subList(0, ops.size());
              }
              return results; // the coalescer refuses a count that does not match
            });
  }

  /** Lets keep-alives of {@code sessions} ride in the batches that leave when one is due. */
  void keepAlivesRideWith(Sessions sessions) {
    riders = Optional.of(sessions);
  }

  /** The read timeout of every call that does not wait. */
  Duration callTimeout() {
    return http.callTimeout();
  }

  /**
   * An acquire of {@code session}, sent at once or with the batch after the one in flight:
   * completes with the grant, or {@link LockNotGrantedException}, or {@link ServerException}
   * ({@link GrantChannel.WaitResetException} when the server lost the wait). Cancelling the future
   * stops listening for it; only a {@link #cancel} takes it out of the line.
   */
  CompletableFuture<GrantView> acquire(
      Sessions.Live session,
      String name,
      LockMode mode,
      String owner,
      Duration wait,
      String requestId) {
    GrantChannel channel =
        channels.computeIfAbsent(
            session.id(),
            id ->
                new GrantChannel(
                    (after, pollFor) -> http.endings(id, session.token(), after, pollFor),
                    pollers,
                    pollWait));
    CompletableFuture<BatchWire.Result> ending = channel.expect(requestId);
    CompletableFuture<GrantView> grant = new CompletableFuture<>();
    ending.whenComplete(
        (result, failure) -> {
          if (failure != null) {
            grant.completeExceptionally(failure);
          } else {
            complete(grant, result);
          }
        });
    grant.whenComplete((g, e) -> ending.cancel(false)); // given up: forget the ending
    coalescer
        .submit(Operation.acquire(session.token(), name, mode, wait, owner, requestId))
        .whenComplete(
            (result, failure) -> {
              if (failure != null) {
                ending.completeExceptionally(failure);
              } else if (result.status() == 202) {
                channel.queued(requestId);
              } else {
                ending.complete(result);
              }
            });
    return grant;
  }

  private void complete(CompletableFuture<GrantView> grant, BatchWire.Result result) {
    if (result.status() == 200 && result.grant() != null) {
      grant.complete(result.grant());
    } else {
      grant.completeExceptionally(refusal(result));
    }
  }

  void release(String token, String name) {
    coalescer.call(
        Operation.release(token, name),
        () -> {
          http.release(token, name);
          return null;
        },
        result -> expect(result, 204),
        http.callTimeout());
  }

  /** Withdraws this session's queued request for the lock; false when none was queued. */
  boolean withdraw(String token, String name) {
    return coalescer.call(
        Operation.withdraw(token, name),
        () -> http.withdraw(token, name),
        result -> result.status() == 204 || (result.status() != 409 && expect(result, 204)),
        http.callTimeout());
  }

  /** See {@link LockHttp#cancel}: once this returns, the request holds nothing and never will. */
  void cancel(String token, String name, String requestId) {
    coalescer.call(
        Operation.cancel(token, name, requestId),
        () -> {
          http.cancel(token, name, requestId);
          return null;
        },
        result -> expect(result, 204),
        http.callTimeout());
  }

  /**
   * A keep-alive of the timer goes alone at once, never queued behind a request in flight: a slow
   * batch must not cost the session its TTL. Batches carry their own when one is due.
   */
  @Override
  public KeepAliveAnswer keepAlive(String id, String token) {
    return http.keepAlive(id, token);
  }

  @Override
  public SessionCreated openSession(Duration ttl, Optional<String> name) {
    return http.openSession(ttl, name);
  }

  @Override
  public void closeSession(String id, String token) {
    Optional.ofNullable(channels.remove(id)).ifPresent(GrantChannel::close);
    http.closeSession(id, token);
  }

  /** Nothing, when the result has the status; else the refusal the single call would throw. */
  private boolean expect(BatchWire.Result result, int status) {
    if (result.status() != status) {
      throw refusal(result);
    }
    return true;
  }

  private RuntimeException refusal(BatchWire.Result result) {
    return Refusals.of(result.status(), Optional.ofNullable(result.problem()), http.where());
  }

  @Override
  public void close() {
    channels.values().forEach(GrantChannel::close);
    pollers.shutdownNow();
  }
}
