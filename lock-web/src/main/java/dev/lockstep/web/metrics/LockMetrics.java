package dev.lockstep.web.metrics;

import dev.lockstep.lock.LockService;
import dev.lockstep.lock.LockStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * The lock service's current sizes as gauges at {@code GET /metrics} (Prometheus text), read from
 * the lock service at scrape time; its totals are counters it increments as it publishes events.
 */
@ApplicationScoped
public class LockMetrics {
  @Inject LockService locks;

  @Inject
  @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
  MetricRegistry registry;

  void register(@Observes @Initialized(ApplicationScoped.class) Object start) {
    gauge("lockstep.sessions", "Live sessions", s -> s.sessions());
    gauge("lockstep.held.locks", "Current holds: one per lock and holding session", s -> s.holds());
    gauge("lockstep.waiters", "Queued acquire requests", s -> s.waiters());
    gauge("lockstep.watchers", "Open event streams", s -> s.watchers());
    // Totals (grants, releases, expiries, events) are counters the lock service increments.
  }

  private void gauge(String name, String description, ToDoubleFunction<LockStats> read) {
    registry.gauge(
        Metadata.builder()
            .withName(name)
            .withDescription(description)
            .withUnit(MetricUnits.NONE)
            .build(),
        locks,
        l -> read.applyAsDouble(l.stats()));
  }
}
