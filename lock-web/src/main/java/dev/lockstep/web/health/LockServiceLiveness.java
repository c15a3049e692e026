package dev.lockstep.web.health;

import dev.lockstep.lock.LockService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the lock service's table lock can be taken within a few seconds. */
@Liveness
@ApplicationScoped
public class LockServiceLiveness implements HealthCheck {
  private static final Duration WITHIN = Duration.ofSeconds(5);

  @Inject LockService locks;

  @Override
  public HealthCheckResponse call() {
    boolean answers;
    try {
      answers = locks.tableAnswers(WITHIN);
    } catch (RuntimeException e) {
      answers = false;
    }
    return HealthCheckResponse.named("lock-service").status(answers).build();
  }
}
