package dev.lockstep.lock;

import dev.lockstep.lock.persistence.StoreSettings;
import dev.lockstep.lock.table.TableLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The server's configuration, read once from MicroProfile Config (system properties, environment
 * variables such as {@code LOCKSTEP_DATA_DIR}, or {@code microprofile-config.properties}). Every
 * key and default is listed in the README.
 */
public record LockstepSettings(
    TableLimits limits,
    StoreSettings store,
    Duration expiryInterval,
    int eventsKept,
    int maxWatchers,
    int watcherBuffer,
    Duration keepAliveInterval) {

  public static LockstepSettings from(Config config) {
    TableLimits defaults = TableLimits.defaults();
    TableLimits limits =
        new TableLimits(
            duration(config, "lockstep.session.ttl.default", defaults.defaultTtl()),
            duration(config, "lockstep.session.ttl.min", defaults.minTtl()),
            duration(config, "lockstep.session.ttl.max", defaults.maxTtl()),
            duration(config, "lockstep.session.lock-delay.max", defaults.maxLockDelay()),
            duration(config, "lockstep.wait.max", defaults.maxWait()),
            config
                .getOptionalValue("lockstep.sessions.max", Integer.class)
                .orElse(defaults.maxSessions()),
            config
                .getOptionalValue("lockstep.waiters.max-per-lock", Integer.class)
                .orElse(defaults.maxWaitersPerLock()));
    StoreSettings store =
        new StoreSettings(
            Path.of(
                config.getOptionalValue("lockstep.data.dir", String.class).orElse("lockstep-data")),
            nonBlank(config, "lockstep.jdbc.url"),
            nonBlank(config, "lockstep.jdbc.user"),
            nonBlank(config, "lockstep.jdbc.password"));
    Duration expiryInterval = duration(config, "lockstep.expiry.interval", Duration.ofMillis(50));
    return new LockstepSettings(
        limits,
        store,
        expiryInterval,
        positive(config, "lockstep.events.history", 100_000),
        positive(config, "lockstep.watchers.max", 1_000),
        positive(config, "lockstep.watchers.buffer", 10_000),
        duration(config, "lockstep.events.keep-alive", Duration.ofSeconds(10)));
  }

  private static Duration duration(Config config, String key, Duration fallback) {
    return config.getOptionalValue(key, String.class).map(Duration::parse).orElse(fallback);
  }

  private static int positive(Config config, String key, int fallback) {
    int value = config.getOptionalValue(key, Integer.class).orElse(fallback);
    if (value < 1) {
      throw new IllegalArgumentException(key + " must be positive: " + value);
    }
    return value;
  }

  private static Optional<String> nonBlank(Config config, String key) {
    return config.getOptionalValue(key, String.class).filter(v -> !v.isBlank());
  }
}
