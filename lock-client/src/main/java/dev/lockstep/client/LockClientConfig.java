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
 * @param moreUrls the other servers of {@code url}'s active/standby group, tried when it does not
 *     answer or is a standby (see {@link #connect(List)}); empty for a single server
 */
public record LockClientConfig(
    Optional<URI> url,
    Optional<ServerSettings> launch,
    Duration sessionTtl,
    Optional<String> sessionName,
    Supplier<String> owner,
    boolean cacheEnabled,
    String streamPrefix,
    List<Object> providers,
    List<URI> moreUrls) {

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
    moreUrls = List.copyOf(moreUrls);
    if (launch.isPresent() && !moreUrls.isEmpty()) {
      throw new IllegalArgumentException("a launched server has no group to try");
    }
  }

  /** The configuration of a client of one server, or of a launched one. */
  public LockClientConfig(
      Optional<URI> url,
      Optional<ServerSettings> launch,
      Duration sessionTtl,
      Optional<String> sessionName,
      Supplier<String> owner,
      boolean cacheEnabled,
      String streamPrefix,
      List<Object> providers) {
    this(
        url,
        launch,
        sessionTtl,
        sessionName,
        owner,
        cacheEnabled,
        streamPrefix,
        providers,
        List.of());
  }

  /** A client of the server already running at {@code url}. */
  public static LockClientConfig connect(URI url) {
    return connect(List.of(url));
  }

  /**
   * A client of an active/standby group (README, "Active/standby on PostgreSQL"): it sends to the
   * first of {@code urls} that answers, follows the {@code leader} a standby's not-leader answer
   * names, and keeps its session across a takeover. One URL is a single server.
   *
   * @throws IllegalArgumentException when {@code urls} is empty
   */
  public static LockClientConfig connect(List<URI> urls) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("give at least one server URL");
    }
    return new LockClientConfig(
        Optional.of(urls.get(0)),
        Optional.empty(),
        Duration.ofSeconds(10),
        Optional.empty(),
        CallerIdentity::current,
        true,
        "",
        List.of(),
        urls.subList(1, urls.size()));
  }

  /** Every server to try, {@code url} first; empty for a launched server. */
  public List<URI> urls() {
    List<URI> all = new ArrayList<>();
    url.ifPresent(all::add);
    all.addAll(moreUrls);
    return all;
  }

  /**
   * Reads {@code lockstep.client.url}: one URL, or a group's comma-separated list.
   *
   * @throws IllegalArgumentException when empty, or a part is no absolute URL
   */
  static List<URI> parseUrls(String value) {
    List<URI> urls = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        URI url = URI.create(part.strip());
        if (url.getScheme() == null || url.getHost() == null) {
          throw new IllegalArgumentException(
              "lockstep.client.url: not an absolute http URL: " + part.strip());
        }
        urls.add(url);
      }
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("lockstep.client.url is empty");
    }
    return urls;
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
        url, launch, ttl, sessionName, owner, cacheEnabled, streamPrefix, providers, moreUrls);
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
        providers,
        moreUrls);
  }

  /** Who the caller is, asked at each acquire; null or blank means unknown, and acquire refuses. */
  public LockClientConfig withOwner(Supplier<String> owner) {
    return new LockClientConfig(
        url,
        launch,
        sessionTtl,
        sessionName,
        owner,
        cacheEnabled,
        streamPrefix,
        providers,
        moreUrls);
  }

  public LockClientConfig withCache(boolean enabled) {
    return new LockClientConfig(
        url, launch, sessionTtl, sessionName, owner, enabled, streamPrefix, providers, moreUrls);
  }

  /** The locks the cache and watches cover (the one event stream's prefix); "" for all. */
  public LockClientConfig withStreamPrefix(String prefix) {
    return new LockClientConfig(
        url, launch, sessionTtl, sessionName, owner, cacheEnabled, prefix, providers, moreUrls);
  }

  public LockClientConfig withProviders(Object... more) {
    List<Object> all = new ArrayList<>(providers);
    all.addAll(List.of(more));
    return new LockClientConfig(
        url, launch, sessionTtl, sessionName, owner, cacheEnabled, streamPrefix, all, moreUrls);
  }

  /**
   * Reads the {@code lockstep.client.*} keys listed in the README: {@code url} (one, or a group's
   * comma-separated list), or {@code launch=true} with {@code micro-jar}, {@code war}, {@code
   * port}, {@code data-dir}, {@code ttl.min}, {@code ttl.max}; and {@code session.ttl}, {@code
   * session.name}, {@code cache}, {@code stream-prefix}.
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
                  duration(config, "lockstep.client.ttl.max").orElse(Duration.ofHours(1)),
                  config
                      .getOptionalValue("lockstep.client.jvm-options", String.class)
                      .map(o -> List.of(o.trim().split("\\s+")))
                      .orElse(List.of()),
                  config.getOptionalValue("lockstep.client.log", String.class).map(Path::of)));
    } else {
      base =
          connect(
              parseUrls(
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

  /**
   * What a launched server runs with.
   *
   * @param jvmOptions options of the server's JVM, before {@code -jar} ({@code -Xmx256m}, say)
   * @param log where the server's output goes; empty: {@code server.log} in the data directory
   */
  public record ServerSettings(
      Path microJar,
      Path war,
      int port,
      Path dataDir,
      Duration minTtl,
      Duration maxTtl,
      List<String> jvmOptions,
      Optional<Path> log) {
    public ServerSettings {
      Objects.requireNonNull(microJar, "microJar");
      Objects.requireNonNull(war, "war");
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(minTtl, "minTtl");
      Objects.requireNonNull(maxTtl, "maxTtl");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535: " + port);
      }
      jvmOptions = List.copyOf(jvmOptions);
      Objects.requireNonNull(log, "log");
    }

    /** Settings with no JVM options and the log in the data directory. */
    public ServerSettings(
        Path microJar, Path war, int port, Path dataDir, Duration minTtl, Duration maxTtl) {
      this(microJar, war, port, dataDir, minTtl, maxTtl, List.of(), Optional.empty());
    }

    public ServerSettings withJvmOptions(String... options) {
      return new ServerSettings(
          microJar, war, port, dataDir, minTtl, maxTtl, List.of(options), log);
    }

    public ServerSettings withLog(Path file) {
      return new ServerSettings(
          microJar, war, port, dataDir, minTtl, maxTtl, jvmOptions, Optional.of(file));
    }

    /** The file the server's output goes to. */
    public Path logFile() {
      return log.orElse(dataDir.resolve("server.log"));
    }
  }
}
