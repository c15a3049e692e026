package dev.lockstep.client.cdi;

import dev.lockstep.api.LockMode;
import dev.lockstep.client.LockNotGrantedException;
import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Holds the named lock around the call. Placeholders {@code {0}}, {@code {1}}, ... are filled with
 * the method's arguments: {@code @Locked("jobs/{0}") void run(String jobId)}. Inside the call,
 * {@link CurrentLock#fencingToken()} gives the grant's fencing token. A lock not granted within
 * {@code waitFor} throws {@link LockNotGrantedException}.
 */
@Inherited
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Locked {
  /** The lock name, with {@code {n}} placeholders for the method's arguments. */
  @Nonbinding
  String value() default "";

  /** How long to wait in line, ISO-8601. (Not "wait": Java keeps that name for Object.wait().) */
  @Nonbinding
  String waitFor() default "PT30S";

  @Nonbinding
  LockMode mode() default LockMode.EXCLUSIVE;
}
