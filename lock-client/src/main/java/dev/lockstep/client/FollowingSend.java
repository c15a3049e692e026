package dev.lockstep.client;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.InvocationCallback;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One call that may wait (a batch) on its way, sent asynchronously to the group's current server
 * and sent again to the next one when it was not carried out (a standby's not-leader answer) or
 * never sent (a refused connection), at most once per server known. {@code sent} always holds the
 * latest request, for a cancel to abandon.
 */
final class FollowingSend<T> {
  private final ServerGroup group;
  private final String method;
  private final Function<URI, Invocation.Builder> request;
  private final Entity<String> body;
  private final CompletableFuture<T> answer;
  private final AtomicReference<Future<Response>> sent;
  private final Function<Response, T> read;
  private final Function<Throwable, ServerException> unreachable;

  FollowingSend(
      ServerGroup group,
      String method,
      Function<URI, Invocation.Builder> request,
      Entity<String> body,
      CompletableFuture<T> answer,
      AtomicReference<Future<Response>> sent,
      Function<Response, T> read,
      Function<Throwable, ServerException> unreachable) {
    this.group = group;
    this.method = method;
    this.request = request;
    this.body = body;
    this.answer = answer;
    this.sent = sent;
    this.read = read;
    this.unreachable = unreachable;
  }

  /**
   * Sends the {@code tries}-th attempt; returns at once.
   *
   * @throws ServerException when the request could not even be handed to the client
   */
  void send(int tries) {
    URI base = group.current();
    try {
      sent.set(
          request
              .apply(base)
              .async()
              .method(
                  method,
                  body,
                  new InvocationCallback<Response>() {
                    @Override
                    public void completed(Response response) {
                      answered(base, tries, response);
                    }

                    @Override
                    public void failed(Throwable failure) {
                      unanswered(base, tries, failure);
                    }
                  }));
    } catch (ProcessingException e) {
      group.unreachable(base);
      throw unreachable.apply(e);
    }
    if (answer.isCancelled()) {
      sent.get().cancel(true); // cancelled while this attempt was being sent
    }
  }

  private void answered(URI base, int tries, Response response) {
    Optional<String> leader = WireAnswers.notLeader(response);
    if (leader.isPresent()) {
      group.notLeader(base, leader.filter(l -> !l.isEmpty()));
      if (tries < group.maxTries() && !answer.isDone()) {
        response.close();
        sendAgain(tries);
        return;
      }
    }
    try {
      answer.complete(read.apply(response));
    } catch (RuntimeException e) {
      answer.completeExceptionally(e);
    }
  }

  private void unanswered(URI base, int tries, Throwable failure) {
    if (answer.isDone()) {
      return; // abandoned (cancelled): no sign that the server is gone
    }
    group.unreachable(base);
    if (ServerGroup.refused(failure) && tries < group.maxTries()) {
      sendAgain(tries);
      return;
    }
    answer.completeExceptionally(unreachable.apply(failure));
  }

  private void sendAgain(int tries) {
    try {
      send(tries + 1);
    } catch (RuntimeException e) {
      answer.completeExceptionally(e);
    }
  }
}
