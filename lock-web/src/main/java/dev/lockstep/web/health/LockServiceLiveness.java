package dev.lockstep.web.health;

import dev.lockstep.lock.LockService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the lock service answers a read of the lock table. */
@Liveness
@ApplicationScoped
public class LockServiceLiveness implements HealthCheck {
  @Inject LockService locks;

  @Override
  public HealthCheckResponse call() {
    boolean answers;
    try {
      answers = locks.revision() >= 0;
    } catch (RuntimeException e) {
      answers = false;
    }
    return HealthCheckResponse.named("lock-service").status(answers).build();
  }
}
