package dev.lockstep.web.health;

import dev.lockstep.lock.LockService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the lock table is loaded from the database: clients may start then. */
@Readiness
@ApplicationScoped
public class LockTableReadiness implements HealthCheck {
  @Inject LockService locks;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("lock-table").status(locks.isReady()).build();
  }
}
