package dev.lockstep.client.cdi;

import dev.lockstep.client.LockClient;
import dev.lockstep.client.LockHandle;
import dev.lockstep.client.LockNotGrantedException;
import dev.lockstep.client.SessionUnavailableException;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Holds the lock of a {@link Locked} method around its call, and releases it after. */
@Locked
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE + 100)
public class LockedInterceptor {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)}");

  @Inject LockClient locks;

  @AroundInvoke
  public Object holdLock(InvocationContext call) throws Exception {
    Locked locked = bindingOf(call.getMethod());
    String name = fill(locked.value(), call.getParameters());
    Duration wait = Duration.parse(locked.waitFor());
    LockHandle handle;
    try {
      handle =
          locks
              .tryAcquire(name, locked.mode(), wait)
              .orElseThrow(
                  () ->
                      new LockNotGrantedException(
                          "lock " + name + " not granted within " + wait, null));
    } catch (SessionUnavailableException e) {
      // A long-running application outlives a lost session: start a new one, once.
      locks.newSession();
      handle =
          locks
              .tryAcquire(name, locked.mode(), wait)
              .orElseThrow(
                  () ->
                      new LockNotGrantedException(
                          "lock " + name + " not granted within " + wait, null));
    }
    try (LockHandle held = handle) {
      CurrentLock.push(held);
      try {
        return call.proceed();
      } finally {
        CurrentLock.pop();
      }
    }
  }

  private static Locked bindingOf(Method method) {
    Locked onMethod = method.getAnnotation(Locked.class);
    return onMethod != null ? onMethod : method.getDeclaringClass().getAnnotation(Locked.class);
  }

  static String fill(String template, Object[] arguments) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder name = new StringBuilder();
    while (m.find()) {
      int index = Integer.parseInt(m.group(1));
      if (index >= arguments.length) {
        throw new IllegalArgumentException(
            "@Locked(\""
                + template
                + "\") has {"
                + index
                + "} but the method takes "
                + arguments.length
                + " arguments");
      }
      m.appendReplacement(name, Matcher.quoteReplacement(String.valueOf(arguments[index])));
    }
    m.appendTail(name);
    return name.toString();
  }
}
