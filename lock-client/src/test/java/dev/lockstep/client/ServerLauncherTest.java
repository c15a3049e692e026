package dev.lockstep.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.client.LockClientConfig.ServerSettings;
import dev.lockstep.client.ServerLauncher.LockServer;
import dev.lockstep.client.support.LockServerExtension;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher. Its success case is the server every test runs against (started once by {@link
 * LockServerExtension}); a second Payara just for this class would cost another ~20 s.
 */
@ExtendWith(LockServerExtension.class)
class ServerLauncherTest {

  @Test
  void start_returnsOnlyOnceTheServerIsReady(LockServer server) {
    assertTrue(server.isAlive());
    assertEquals(Integer.getInteger("lockstep.test.port"), server.url().getPort());
    Client http = ClientBuilder.newClient();
    try (Response ready = http.target(server.url()).path("health").path("ready").request().get()) {
      assertEquals(200, ready.getStatus());
    } finally {
      http.close();
    }
  }

  @Test
  void start_whenTheServerCannotRun_failsWithItsExitCode(@TempDir Path dir) {
    ServerSettings settings =
        new ServerSettings(
            dir.resolve("no-such-payara-micro.jar"),
            dir.resolve("no-such.war"),
            18689,
            dir.resolve("data"),
            Duration.ofSeconds(1),
            Duration.ofHours(1));

    LockstepException failed =
        assertThrows(LockstepException.class, () -> ServerLauncher.start(settings));

    assertTrue(failed.getMessage().contains("exited with"), failed.getMessage());
    assertTrue(Files.exists(dir.resolve("data").resolve("server.log")), "the log names the cause");
  }
}
