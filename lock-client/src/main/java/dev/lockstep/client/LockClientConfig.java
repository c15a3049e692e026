package dev.lockstep.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.Config;

/**
 * How a {@link LockClient} reaches its server and behaves: connect to {@code url}, or start a
 * server from {@code launch}; the TTL and name of its session; how callers are identified; the
 * cache. Build with {@link #connect(URI)} or {@link #launch(ServerSettings)} and the {@code
 * with...} methods, or read from MicroProfile Config with {@link #from(Config)}.
 *
 * @param providers JAX-RS providers registered on the client (a {@code ClientRequestFilter}, say)
 */
public record LockClientConfig(
    Optional<URI> url,
    Optional<ServerSettings> launch,
    Duration sessionTtl,
    Optional<String> sessionName,
    Supplier<String> owner,
    boolean cacheEnabled,
    String streamPrefix,
    List<Object> providers) {

  public LockClientConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(launch, "launch");
    if (url.isPresent() == launch.isPresent()) {
      throw new IllegalArgumentException("give a server URL or launch settings, exactly one");
    }
    Objects.requireNonNull(sessionTtl, "sessionTtl");
    Objects.requireNonNull(sessionName, "sessionName");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(streamPrefix, "streamPrefix");
    providers = List.copyOf(providers);
  }

  /** A client of the server already running at {@code url}. */
  public static LockClientConfig connect(URI url) {
    return new LockClientConfig(
        Optional.of(url),
        Optional.empty(),
        Duration.ofSeconds(10),
        Optional.empty(),
        CallerIdentity::current,
        true,
        "",
        List.of());
  }

  /** A client that starts its own server and stops it when closed. */
  public static LockClientConfig launch(ServerSettings settings) {
    return new LockClientConfig(
        Optional.empty(),
        Optional.of(settings),
        Duration.ofSeconds(10),
        Optional.empty(),
        CallerIdentity::current,
        true,
        "",
        List.of());
  }

  public LockClientConfig withSessionTtl(Duration ttl) {
    return new LockClientConfig(
        url, launch, ttl, sessionName, owner, cacheEnabled, streamPrefix, providers);
  }

  public LockClientConfig withSessionName(String name) {
    return new LockClientConfig(
        url,
        launch,
        sessionTtl,
        Optional.ofNullable(name),
        owner,
        cacheEnabled,
        streamPrefix,
        providers);
  }

  /** Who the caller is, asked at each acquire; null or blank means unknown, and acquire refuses. */
  public LockClientConfig withOwner(Supplier<String> owner) {
    return new LockClientConfig(
        url, launch, sessionTtl, sessionName, owner, cacheEnabled, streamPrefix, providers);
  }

  public LockClientConfig withCache(boolean enabled) {
    return new LockClientConfig(
        url, launch, sessionTtl, sessionName, owner, enabled, streamPrefix, providers);
  }

  /** The locks the cache and watches cover (the one event stream's prefix); "" for all. */
  public LockClientConfig withStreamPrefix(String prefix) {
    return new LockClientConfig(
        url, launch, sessionTtl, sessionName, owner, cacheEnabled, prefix, providers);
  }

  public LockClientConfig withProviders(Object... more) {
    List<Object> all = new ArrayList<>(providers);
    all.addAll(List.of(more));
    return new LockClientConfig(
        url, launch, sessionTtl, sessionName, owner, cacheEnabled, streamPrefix, all);
  }

  /**
   * Reads the {@code lockstep.client.*} keys listed in the README: {@code url}, or {@code
   * launch=true} with {@code micro-jar}, {@code war}, {@code port}, {@code data-dir}, {@code
   * ttl.min}, {@code ttl.max}; and {@code session.ttl}, {@code session.name}, {@code cache}, {@code
   * stream-prefix}.
   */
  public static LockClientConfig from(Config config) {
    boolean launch = config.getOptionalValue("lockstep.client.launch", Boolean.class).orElse(false);
    LockClientConfig base;
    if (launch) {
      base =
          launch(
              new ServerSettings(
                  Path.of(required(config, "lockstep.client.micro-jar")),
                  Path.of(required(config, "lockstep.client.war")),
                  config.getOptionalValue("lockstep.client.port", Integer.class).orElse(8080),
                  Path.of(
                      config
                          .getOptionalValue("lockstep.client.data-dir", String.class)
                          .orElse("lockstep-data")),
                  duration(config, "lockstep.client.ttl.min").orElse(Duration.ofSeconds(1)),
                  duration(config, "lockstep.client.ttl.max").orElse(Duration.ofHours(1))));
    } else {
      base =
          connect(
              URI.create(
                  config
                      .getOptionalValue("lockstep.client.url", String.class)
                      .orElse("http://localhost:8080")));
    }
    return base.withSessionTtl(
            duration(config, "lockstep.client.session.ttl").orElse(Duration.ofSeconds(10)))
        .withSessionName(
            config.getOptionalValue("lockstep.client.session.name", String.class).orElse(null))
        .withCache(config.getOptionalValue("lockstep.client.cache", Boolean.class).orElse(true))
        .withStreamPrefix(
            config.getOptionalValue("lockstep.client.stream-prefix", String.class).orElse(""));
  }

  private static String required(Config config, String key) {
    return config
        .getOptionalValue(key, String.class)
        .orElseThrow(() -> new IllegalArgumentException(key + " is required to launch a server"));
  }

  private static Optional<Duration> duration(Config config, String key) {
    return config.getOptionalValue(key, String.class).map(Duration::parse);
  }

  /** What a launched server runs with. */
  public record ServerSettings(
      Path microJar, Path war, int port, Path dataDir, Duration minTtl, Duration maxTtl) {
    public ServerSettings {
      Objects.requireNonNull(microJar, "microJar");
      Objects.requireNonNull(war, "war");
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(minTtl, "minTtl");
      Objects.requireNonNull(maxTtl, "maxTtl");
    }
  }
}
