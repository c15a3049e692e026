package dev.lockstep.client;

import java.net.ConnectException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The servers a client may send a request to, and the one it sends to now. With one URL it is
 * always that one. With an active/standby group's URLs it moves on when the current one does not
 * answer, and jumps to the active one that a standby names in its not-leader answer (adding it when
 * the list did not have it). Thread-safe: every call and the event stream share one.
 */
final class ServerGroup {
  /** At most this many servers are tried for one call, however many leaders are named. */
  private static final int MAX_TRIES = 8;

  private final List<URI> known = new ArrayList<>();
  private int current;

  ServerGroup(List<URI> urls) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("give at least one server URL");
    }
    urls.forEach(this::add);
  }

  /** The base URL to send the next request to. */
  synchronized URI current() {
    return known.get(current);
  }

  synchronized int size() {
    return known.size();
  }

  /**
   * How many servers one call may try: each known once. Read after each hint, since a named leader
   * the list did not have was added to it.
   */
  synchronized int maxTries() {
    return Math.min(known.size(), MAX_TRIES);
  }

  /** Whether {@code e} says the connection was refused: the request was never sent. */
  static boolean refused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  /** The base URL of a single server; the list, the current one first, of a group. */
  synchronized String describe() {
    return known.size() == 1 ? known.get(0).toString() : current() + " (of " + known + ")";
  }

  /** {@code tried} did not answer: the next request goes to the next server, if it is still it. */
  synchronized void unreachable(URI tried) {
    if (same(known.get(current), tried)) {
      current = (current + 1) % known.size();
    }
  }

  /**
   * {@code tried} is not the active server; {@code leader} is the one it named, if any. Without a
   * usable name, or when it names itself, the next server is tried.
   */
  synchronized void notLeader(URI tried, Optional<String> leader) {
    Optional<URI> named = leader.flatMap(ServerGroup::parse);
    if (named.isEmpty() || same(named.get(), tried)) {
      unreachable(tried);
      return;
    }
    current = add(named.get());
  }

  private int add(URI url) {
    for (int at = 0; at < known.size(); at++) {
      if (same(known.get(at), url)) {
        return at;
      }
    }
    known.add(url);
    return known.size() - 1;
  }

  private static Optional<URI> parse(String url) {
    try {
      URI uri = URI.create(url);
      return uri.getScheme() == null || uri.getHost() == null ? Optional.empty() : Optional.of(uri);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a hint that is no URL is no hint
    }
  }

  /** One server however it was written: with or without a trailing slash. Kept as given. */
  private static boolean same(URI a, URI b) {
    return strip(a).equals(strip(b));
  }

  private static String strip(URI url) {
    String text = url.toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }
}
