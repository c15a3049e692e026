package dev.lockstep.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.client.LockClientConfig.ServerSettings;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.support.LockServerExtension;
import dev.lockstep.client.support.MapConfig;
import dev.lockstep.client.support.TestClients;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reading the client's configuration from MicroProfile Config keys, and using it. */
@ExtendWith(LockServerExtension.class)
class LockClientConfigTest {

  @Test
  void from_withUrlAndSettings_readsEveryKey() {
    LockClientConfig config =
        LockClientConfig.from(
            new MapConfig(
                Map.of(
                    "lockstep.client.url", "http://locks.example:9090",
                    "lockstep.client.session.ttl", "PT30S",
                    "lockstep.client.session.name", "worker-7",
                    "lockstep.client.cache", "false",
                    "lockstep.client.stream-prefix", "jobs/")));

    assertEquals(Optional.of(URI.create("http://locks.example:9090")), config.url());
    assertEquals(Optional.empty(), config.launch());
    assertEquals(Duration.ofSeconds(30), config.sessionTtl());
    assertEquals(Optional.of("worker-7"), config.sessionName());
    assertEquals(false, config.cacheEnabled());
    assertEquals("jobs/", config.streamPrefix());
  }

  @Test
  void from_withNoKeys_usesTheDefaults() {
    LockClientConfig config = LockClientConfig.from(new MapConfig(Map.of()));

    assertEquals(Optional.of(URI.create("http://localhost:8080")), config.url());
    assertEquals(Duration.ofSeconds(10), config.sessionTtl());
    assertEquals(Optional.empty(), config.sessionName());
    assertTrue(config.cacheEnabled());
    assertEquals("", config.streamPrefix());
    String owner = config.owner().get();
    assertTrue(owner.endsWith(":" + Thread.currentThread().getName()), owner);
  }

  @Test
  void from_withLaunch_readsTheServerSettings() {
    LockClientConfig config =
        LockClientConfig.from(
            new MapConfig(
                Map.of(
                    "lockstep.client.launch", "true",
                    "lockstep.client.micro-jar", "/opt/payara-micro.jar",
                    "lockstep.client.war", "/opt/lock-web.war",
                    "lockstep.client.port", "18999",
                    "lockstep.client.data-dir", "/var/lib/locks",
                    "lockstep.client.ttl.min", "PT2S",
                    "lockstep.client.ttl.max", "PT10M")));

    assertEquals(Optional.empty(), config.url());
    assertEquals(
        Optional.of(
            new ServerSettings(
                Path.of("/opt/payara-micro.jar"),
                Path.of("/opt/lock-web.war"),
                18999,
                Path.of("/var/lib/locks"),
                Duration.ofSeconds(2),
                Duration.ofMinutes(10))),
        config.launch());
  }

  @Test
  void from_withLaunchButNoWar_isRefused() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LockClientConfig.from(
                    new MapConfig(
                        Map.of(
                            "lockstep.client.launch", "true",
                            "lockstep.client.micro-jar", "/opt/payara-micro.jar"))));

    assertTrue(refused.getMessage().contains("lockstep.client.war"), refused.getMessage());
  }

  @Test
  void from_configuredClient_talksToTheServer(LockServer server) {
    String name = TestClients.uniquePrefix("config") + "job";
    LockClientConfig config =
        LockClientConfig.from(
            new MapConfig(
                Map.of(
                    "lockstep.client.url", server.url().toString(),
                    "lockstep.client.session.ttl", "PT5S",
                    "lockstep.client.cache", "false")));

    try (LockClient client = LockClient.create(config);
        LockHandle handle = client.acquire(name)) {
      assertEquals(
          client.sessionId().orElseThrow(), client.status(name).holders().get(0).session());
      assertTrue(handle.fencingToken() > 0);
    }
  }

  @Test
  void constructor_withBothUrlAndLaunch_isRefused() {
    ServerSettings settings =
        new ServerSettings(
            Path.of("micro.jar"),
            Path.of("app.war"),
            8080,
            Path.of("data"),
            Duration.ofSeconds(1),
            Duration.ofHours(1));
    LockClientConfig launching = LockClientConfig.launch(settings);

    assertThrows(
        IllegalArgumentException.class,
        () ->
            new LockClientConfig(
                Optional.of(URI.create("http://localhost:8080")),
                launching.launch(),
                launching.sessionTtl(),
                launching.sessionName(),
                launching.owner(),
                launching.cacheEnabled(),
                launching.streamPrefix(),
                launching.providers()));
  }
}
