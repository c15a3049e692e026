package dev.lockstep.client.support;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client request filter, registered through {@code LockClientConfig.withProviders}, that records
 * every HTTP request a lock client makes (it sees the event stream's too) and can sabotage them:
 * fail keep-alives as if the server were unreachable, fake their success so the client believes its
 * session live while the server lets it expire, or hang them; hold back or fail other requests.
 */
public final class RequestLog implements ClientRequestFilter {
  /** One request as the filter saw it. */
  public record Request(String method, String path, String query) {
    @Override
    public String toString() {
      return method + " " + path + (query == null ? "" : "?" + query);
    }
  }

  /** What happens to keep-alives. */
  public enum KeepAlives {
    /** Sent to the server. */
    PASS,
    /** Answered 503 locally, never sent: the client sees the server as unreachable. */
    FAIL,
    /** Answered 200 locally, never sent: the client believes them, the server never sees them. */
    FAKE_SUCCESS,
    /** Never answered while the test runs (a hung connection), so the client learns nothing. */
    HANG
  }

  /** A request to hold back or fail: method and how its path ends. */
  private record Rule(String method, String pathEnd, Duration delay, boolean fail) {
    boolean matches(ClientRequestContext request) {
      return request.getMethod().equals(method) && request.getUri().getPath().endsWith(pathEnd);
    }
  }

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile KeepAlives keepAlives = KeepAlives.PASS;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final AtomicInteger hanging = new AtomicInteger();

  @Override
  public void filter(ClientRequestContext request) {
    URI uri = request.getUri();
    requests.add(new Request(request.getMethod(), uri.getPath(), uri.getQuery()));
    for (Rule rule : rules) {
      if (rule.matches(request)) {
        if (rule.fail() && rules.remove(rule)) {
          request.abortWith(Response.status(503).build());
          return;
        }
        if (!rule.fail()) {
          pause(rule.delay()); // latency of a slow network, not a synchronization
        }
      }
    }
    if (!"POST".equals(request.getMethod()) || !uri.getPath().endsWith("/keepalive")) {
      return;
    }
    switch (keepAlives) {
      case PASS -> {}
      case FAIL -> request.abortWith(Response.status(503).build());
      case FAKE_SUCCESS -> {
        String[] segments = uri.getPath().split("/");
        String sessionId = segments[segments.length - 2];
        request.abortWith(
            Response.ok(
                    "{\"id\":\""
                        + sessionId
                        + "\",\"expiresAt\":\""
                        + Instant.now().plusSeconds(60)
                        + "\"}",
                    MediaType.APPLICATION_JSON_TYPE)
                .build());
      }
      case HANG -> {
        hanging.incrementAndGet();
        pause(Duration.ofSeconds(10)); // ends early when the client is closed (interrupt)
        request.abortWith(Response.status(503).build());
      }
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Holds every request with this method and path ending back by {@code delay}. */
  public void delay(String method, String pathEnd, Duration delay) {
    rules.add(new Rule(method, pathEnd, delay, false));
  }

  /** Answers the next request with this method and path ending 503, without sending it. */
  public void failNext(String method, String pathEnd) {
    rules.add(new Rule(method, pathEnd, Duration.ZERO, true));
  }

  /** How many keep-alives are hanging in {@link KeepAlives#HANG}. */
  public int hangingKeepAlives() {
    return hanging.get();
  }

  public void keepAlives(KeepAlives mode) {
    keepAlives = mode;
  }

  /** How many requests were made so far: a mark for {@link #since}. */
  public int mark() {
    return requests.size();
  }

  /** The requests made after {@code mark}. */
  public List<Request> since(int mark) {
    List<Request> all = List.copyOf(requests);
    return all.subList(Math.min(mark, all.size()), all.size());
  }

  /** Every request made so far. */
  public List<Request> all() {
    return List.copyOf(requests);
  }

  /** The requests with this method whose path ends with {@code pathEnd}. */
  public List<Request> matching(String method, String pathEnd) {
    return requests.stream()
        .filter(r -> r.method().equals(method) && r.path().endsWith(pathEnd))
        .toList();
  }
}
