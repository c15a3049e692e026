package dev.lockstep.client.cdi;

import dev.lockstep.client.LockClient;
import dev.lockstep.client.LockClientConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

/**
 * Makes {@code @Inject LockClient locks;} work in a deployed application: one client per
 * application, configured by the {@code lockstep.client.*} MicroProfile Config keys, created on
 * first use and closed (its session deleted) when the application stops. Session state changes are
 * fired as {@link SessionStateChanged} CDI events.
 */
@ApplicationScoped
public class LockClientProducer {
  @Inject Config config;

  @Inject Event<SessionStateChanged> stateChanges;

  private LockClient client;

  @Produces
  public synchronized LockClient lockClient() {
    if (client == null) {
      client = LockClient.create(LockClientConfig.from(config));
      client.onSessionStateChange(
          (id, from, to) -> stateChanges.fire(new SessionStateChanged(id, from, to)));
    }
    return client;
  }

  @PreDestroy
  synchronized void close() {
    if (client != null) {
      client.close();
    }
  }
}
