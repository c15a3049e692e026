package dev.lockstep.client.support;

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
 * Starts one lock server for the whole test run (Payara Micro with lock-web's WAR, through {@link
 * ServerLauncher}) and stops it when the run ends. The server lives in the root store, so every
 * class that uses this extension shares it: starting Payara takes ~20 s, too long per class. Test
 * methods and lifecycle methods get it as a {@link LockServer} parameter.
 *
 * <p>Reads the system properties surefire sets (see lock-client/pom.xml): {@code
 * lockstep.test.microJar}, {@code lockstep.test.war}, {@code lockstep.test.port}, {@code
 * lockstep.test.dir}.
 */
public final class LockServerExtension implements BeforeAllCallback, ParameterResolver {
  private static final Namespace NAMESPACE = Namespace.create(LockServerExtension.class);

  /** The started server as a resource the root store closes at the end of the run. */
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
    int port = Integer.parseInt(property("lockstep.test.port"));
    requireFree(port);
    Path dataDir = Path.of(property("lockstep.test.dir")).resolve("lockstep-test-server");
    deleteTree(dataDir); // a fresh server each run: no sessions or grants from an earlier run
    return new Started(
        ServerLauncher.start(
            new ServerSettings(
                Path.of(property("lockstep.test.microJar")),
                Path.of(property("lockstep.test.war")),
                port,
                dataDir,
                Duration.ofSeconds(1),
                Duration.ofHours(1))));
  }

  /**
   * A server left over from an earlier run would answer the readiness probe in place of the new
   * one, and every test would run against stale code: refuse to start instead.
   */
  private static void requireFree(int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      probe.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "port "
              + port
              + " is taken (a lock server left over from"
              + " an earlier run?); stop it first",
          e);
    }
  }

  private static String property(String key) {
    String value = System.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property "
              + key
              + " is not set; run through"
              + " Maven (surefire sets it) or set it by hand");
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
