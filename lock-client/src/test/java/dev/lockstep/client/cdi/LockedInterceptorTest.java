package dev.lockstep.client.cdi;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockView;
import dev.lockstep.client.LockClient;
import dev.lockstep.client.LockNotGrantedException;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.SessionState;
import dev.lockstep.client.support.LockServerExtension;
import dev.lockstep.client.support.RequestLog;
import dev.lockstep.client.support.RequestLog.KeepAlives;
import dev.lockstep.client.support.TestClients;
import jakarta.interceptor.InvocationContext;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @Locked} without a container: the interceptor is called as CDI would call it, with an
 * invocation of an annotated method, against the real server.
 */
@ExtendWith(LockServerExtension.class)
class LockedInterceptorTest {
  private TestClients clients;
  private LockClient observer;
  private String job;

  /** The annotated bean: its methods are never run, only their annotations read. */
  static class Jobs {
    @Locked("test/locked/{0}")
    public void run(String job) {}

    @Locked(value = "test/locked/{0}", waitFor = "PT0.3S")
    public void runIfFree(String job) {}

    @Locked("test/locked/{1}")
    public void badTemplate(String job) {}
  }

  /** One call of {@code method} with {@code arguments}; proceeding runs {@code body}. */
  private record Call(Method method, Object[] arguments, Callable<Object> body)
      implements InvocationContext {
    @Override
    public Object getTarget() {
      return new Jobs();
    }

    @Override
    public Object getTimer() {
      return null;
    }

    @Override
    public Method getMethod() {
      return method;
    }

    @Override
    public Constructor<?> getConstructor() {
      return null;
    }

    @Override
    public Object[] getParameters() {
      return arguments;
    }

    @Override
    public void setParameters(Object[] parameters) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Object> getContextData() {
      return new HashMap<>();
    }

    @Override
    public Object proceed() throws Exception {
      return body.call();
    }
  }

  @BeforeEach
  void setUp(LockServer server) {
    clients = new TestClients(server);
    observer = clients.openUncached();
    job = "job-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void tearDown() {
    clients.close();
  }

  private static LockedInterceptor interceptorOf(LockClient locks) {
    LockedInterceptor interceptor = new LockedInterceptor();
    interceptor.locks = locks;
    return interceptor;
  }

  private static Method method(String name) throws NoSuchMethodException {
    return Jobs.class.getMethod(name, String.class);
  }

  @Test
  void lockedMethod_holdsTheNamedLockDuringTheCall_andReleasesAfter() throws Exception {
    LockedInterceptor interceptor = interceptorOf(clients.openUncached());
    String name = "test/locked/" + job;

    Object result =
        interceptor.holdLock(
            new Call(
                method("run"),
                new Object[] {job},
                () -> {
                  LockView during = observer.status(name);
                  assertEquals(LockView.HELD, during.state());
                  assertEquals(during.holders().get(0).fencingToken(), CurrentLock.fencingToken());
                  return "done";
                }));

    assertEquals("done", result);
    assertEquals(LockView.FREE, observer.status(name).state());
    assertEquals(Optional.empty(), CurrentLock.handle());
  }

  @Test
  void lockedMethod_thatThrows_stillReleases() throws Exception {
    LockedInterceptor interceptor = interceptorOf(clients.openUncached());
    Call failing =
        new Call(
            method("run"),
            new Object[] {job},
            () -> {
              throw new IllegalStateException("the job failed");
            });

    IllegalStateException thrown =
        assertThrows(IllegalStateException.class, () -> interceptor.holdLock(failing));

    assertEquals("the job failed", thrown.getMessage());
    assertEquals(LockView.FREE, observer.status("test/locked/" + job).state());
    assertEquals(Optional.empty(), CurrentLock.handle());
  }

  @Test
  void lockedMethod_whenNotGrantedWithinWait_throwsAndNeverRuns() throws Exception {
    observer.acquire("test/locked/" + job);
    LockedInterceptor interceptor = interceptorOf(clients.openUncached());
    boolean[] ran = {false};

    assertThrows(
        LockNotGrantedException.class,
        () ->
            interceptor.holdLock(
                new Call(method("runIfFree"), new Object[] {job}, () -> ran[0] = true)));

    assertFalse(ran[0]);
  }

  @Test
  void lockedMethod_afterSessionLost_opensANewSession() throws Exception {
    RequestLog log = new RequestLog();
    LockClient locks =
        clients.openLogged(log, c -> c.withCache(false).withSessionTtl(Duration.ofSeconds(2)));
    locks.acquire("test/locked/" + job + "-first").release();
    String lost = locks.sessionId().orElseThrow();
    log.keepAlives(KeepAlives.FAIL);
    await().atMost(Duration.ofSeconds(8)).until(() -> locks.sessionState() == SessionState.LOST);
    log.keepAlives(KeepAlives.PASS);

    interceptorOf(locks).holdLock(new Call(method("run"), new Object[] {job}, () -> null));

    assertEquals(SessionState.LIVE, locks.sessionState());
    assertNotEquals(lost, locks.sessionId().orElseThrow());
  }

  @Test
  void fill_replacesPlaceholdersWithArguments() {
    assertEquals("jobs/7/eu", LockedInterceptor.fill("jobs/{0}/{1}", new Object[] {7, "eu"}));
    assertEquals("static", LockedInterceptor.fill("static", new Object[0]));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> LockedInterceptor.fill("jobs/{1}", new Object[] {"a"}))
            .getMessage()
            .contains("{1}"));
  }
}
