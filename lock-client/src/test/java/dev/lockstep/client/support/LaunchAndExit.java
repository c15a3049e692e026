package dev.lockstep.client.support;

import dev.lockstep.client.LockClient;
import dev.lockstep.client.LockClientConfig;
import dev.lockstep.client.LockClientConfig.ServerSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child JVM of {@code LaunchModeTest}: launches a server through a client, prints the server's
 * pid, and exits without closing the client. The launcher's shutdown hook must stop the server.
 * Arguments: the Payara Micro jar, the WAR, the port, the data directory.
 */
public final class LaunchAndExit {
  private LaunchAndExit() {}

  public static void main(String[] args) {
    ServerSettings settings =
        new ServerSettings(
            Path.of(args[0]),
            Path.of(args[1]),
            Integer.parseInt(args[2]),
            Path.of(args[3]),
            Duration.ofSeconds(1),
            Duration.ofHours(1));
    LockClient client = LockClient.create(LockClientConfig.launch(settings).withCache(false));
    System.out.println("PID " + client.launchedServerPid().orElseThrow());
    System.out.flush();
    System.exit(0); // no close(): only the shutdown hook stands between this and a leaked server
  }
}
