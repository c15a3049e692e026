package dev.lockstep.it.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The sessions a test opened, ended after it: registered with {@code @RegisterExtension} on a test
 * instance, so each test has its own and a failed test does not leave locks held on the shared
 * server. It ends them after the test's own {@code @AfterEach} methods (which close streams and
 * browsers first).
 */
public final class OpenedSessions implements AfterEachCallback {
  private final Api api;
  // Tests open sessions from their client threads too.
  private final List<TestSession> sessions = Collections.synchronizedList(new ArrayList<>());

  public OpenedSessions(Api api) {
    this.api = api;
  }

  /** A session with the given TTL (null for the server's default), ended after the test. */
  public TestSession open(String ttl) {
    return track(api.openSession(ttl));
  }

  /** A session with the given TTL and lock-delay (either null for the server's default). */
  public TestSession open(String ttl, String lockDelay) {
    return track(api.openSession(ttl, lockDelay));
  }

  /** A session the test opened another way (another client, a raw request), ended after it. */
  public TestSession track(TestSession session) {
    sessions.add(session);
    return session;
  }

  /** Ends every session but {@code kept} now, in the middle of the test; quietly, as after it. */
  public void closeAllBut(TestSession kept) {
    List<TestSession> opened;
    synchronized (sessions) {
      opened = List.copyOf(sessions);
    }
    opened.stream().filter(s -> s != kept).forEach(TestSession::closeQuietly);
  }

  /** Ends every session still open, quietly: the server may have ended some already. */
  @Override
  public void afterEach(ExtensionContext context) {
    List<TestSession> opened;
    synchronized (sessions) {
      opened = List.copyOf(sessions);
      sessions.clear();
    }
    opened.forEach(TestSession::closeQuietly);
  }
}
