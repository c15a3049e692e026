package dev.lockstep.cli.support;

import dev.lockstep.client.LockClientConfig.ServerSettings;
import dev.lockstep.client.ServerLauncher;
import dev.lockstep.client.ServerLauncher.LockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One lock server for every integration test of the module, as lock-client's tests start theirs
 * (Payara Micro with lock-web's WAR through {@link ServerLauncher}), but on a free port, so that it
 * never meets a server another module's build is running. Stopped when the run ends. Reads the
 * system properties failsafe sets (lock-cli/pom.xml).
 */
public final class LockServerExtension implements BeforeAllCallback, ParameterResolver {
  private static final Namespace NAMESPACE = Namespace.create(LockServerExtension.class);

  private record Started(LockServer server) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      server.close();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LockServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }

  private static LockServer server(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Started.class, key -> start(), Started.class)
        .server();
  }

  private static Started start() {
    Path dataDir = Path.of(property("lockstep.test.dir")).resolve("lockstep-cli-test-server");
    deleteTree(dataDir); // a fresh server each run: no sessions or grants from an earlier run
    return new Started(
        ServerLauncher.start(
            new ServerSettings(
                Path.of(property("lockstep.test.microJar")),
                Path.of(property("lockstep.test.war")),
                freePort(),
                dataDir,
                Duration.ofSeconds(1),
                Duration.ofHours(1))));
  }

  /** A port nothing listens on now; Payara binds it a moment later. */
  public static int freePort() {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String property(String key) {
    String value = System.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property " + key + " is not set; run through Maven (failsafe sets it)");
    }
    return value;
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not clear " + dir, e);
    }
  }
}
