package dev.lockstep.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The servers a client may send a request to, and the one it sends to now. With one URL it is
 * always that one. With a group's URLs it moves on when the current one does not answer, and jumps
 * to the active one that a standby names in its not-leader answer (adding it when the list did not
 * have it). Thread-safe: every call and the event stream share one.
 */
final class Endpoints {
  private final List<URI> known = new ArrayList<>();
  private int current;

  Endpoints(List<URI> urls) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("give at least one server URL");
    }
    urls.forEach(url -> known.add(base(url)));
  }

  /** The base URL to send the next request to. */
  synchronized URI current() {
    return known.get(current);
  }

  synchronized int size() {
    return known.size();
  }

  /** {@code tried} did not answer: the next request goes to the next server, if it is still it. */
  synchronized void unreachable(URI tried) {
    if (known.get(current).equals(tried)) {
      current = (current + 1) % known.size();
    }
  }

  /**
   * {@code tried} is not the active server; {@code leader} is the one it named, if any. Without a
   * name, the next server is tried.
   */
  synchronized void notLeader(URI tried, Optional<String> leader) {
    Optional<URI> named = leader.map(Endpoints::parse).flatMap(o -> o);
    if (named.isEmpty() || named.get().equals(tried)) {
      unreachable(tried);
      return;
    }
    int at = known.indexOf(named.get());
    if (at < 0) {
      known.add(named.get());
      at = known.size() - 1;
    }
    current = at;
  }

  private static Optional<URI> parse(String url) {
    try {
      URI uri = URI.create(url);
      return uri.getScheme() == null || uri.getHost() == null
          ? Optional.empty()
          : Optional.of(base(uri));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a hint that is no URL is no hint
    }
  }

  /** Without a trailing slash, so that one server is one entry however it was written. */
  private static URI base(URI url) {
    String text = url.toString();
    return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : url;
  }
}
