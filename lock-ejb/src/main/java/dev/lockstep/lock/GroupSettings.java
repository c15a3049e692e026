package dev.lockstep.lock;

import dev.lockstep.lock.lease.LeaseSettings;
import dev.lockstep.lock.persistence.StoreSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;

/**
 * Whether this server is one of an active/standby group, and how: on PostgreSQL it is, with no
 * other configuration ({@code lockstep.ha=false} turns it off); on any other database only with
 * {@code lockstep.ha=true}, for a database whose SQL the leader row's needs (PostgreSQL's). Every
 * key and default is listed in the README.
 */
final class GroupSettings {
  /**
   * Defaults chosen so that a standby serves within 5 s of the active's death: the lease ends at
   * most 2 s after the last renewal and a standby tries every 0.5 s, which leaves 2.5 s to load the
   * tables and answer. Not shorter: on a loaded machine a renewal thread stalled for 1.5 s must not
   * cost a takeover (reads pause then, by the safety margin; the lease can be taken only after 2
   * s).
   */
  static final Duration LENGTH = Duration.ofSeconds(2);

  static final Duration RENEW_INTERVAL = Duration.ofMillis(500);
  static final Duration SAFETY_MARGIN = Duration.ofMillis(500);

  private GroupSettings() {}

  static Optional<LeaseSettings> from(Config config, StoreSettings store) {
    boolean onPostgres =
        store.jdbcUrl().map(url -> url.startsWith("jdbc:postgresql:")).orElse(false);
    boolean enabled = config.getOptionalValue("lockstep.ha", Boolean.class).orElse(onPostgres);
    if (!enabled) {
      return Optional.empty();
    }
    if (store.jdbcUrl().isEmpty()) {
      throw new IllegalArgumentException(
          "lockstep.ha=true needs a shared database: set lockstep.jdbc.url to PostgreSQL");
    }
    String host = hostName();
    int port = config.getOptionalValue("payaramicro.port", Integer.class).orElse(8080);
    String url =
        config
            .getOptionalValue("lockstep.advertise.url", String.class)
            .filter(u -> !u.isBlank())
            .orElse("http://" + host + ":" + port);
    // Unique per start: a restarted server must not pass for the term its last run held.
    String server =
        config
                .getOptionalValue("lockstep.server.name", String.class)
                .filter(n -> !n.isBlank())
                .orElse(host + ":" + port)
            + "/"
            + UUID.randomUUID().toString().substring(0, 8);
    return Optional.of(
        new LeaseSettings(
            server,
            url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
            duration(config, "lockstep.lease.length", LENGTH),
            duration(config, "lockstep.lease.renew-interval", RENEW_INTERVAL),
            duration(config, "lockstep.lease.safety-margin", SAFETY_MARGIN)));
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  private static Duration duration(Config config, String key, Duration fallback) {
    return config.getOptionalValue(key, String.class).map(Duration::parse).orElse(fallback);
  }
}
