package dev.lockstep.client.se;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.client.LockClient;
import dev.lockstep.client.LockClientConfig;
import dev.lockstep.client.ServerException;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The lock client on this artifact's class path alone: it starts, makes its calls and logs no
 * warning; and with Jersey or Yasson left out, it says which artifact to add.
 */
class PlainJavaRuntimeTest {

  @Test
  void onThisClassPath_aCallRunsAndNothingIsWarned() throws Exception {
    List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
              warnings.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try (LockClient locks =
        LockClient.create(
            LockClientConfig.connect(URI.create("http://127.0.0.1:" + deadPort()))
                .withCache(false))) {
      ServerException refused =
          assertThrows(
              ServerException.class, () -> locks.tryAcquire("jobs/nightly", Duration.ZERO));
      assertEquals(0, refused.status(), "unreachable, not a provider failure: " + refused);
    } finally {
      root.removeHandler(capture);
    }
    assertEquals(
        List.of(), warnings.stream().map(LogRecord::getMessage).toList(), "warnings were logged");
  }

  @Test
  void withoutJersey_theErrorNamesTheArtifactToAdd() throws Exception {
    String out = runWithout(jar -> jar.startsWith("jersey-") || jar.startsWith("hk2-"));
    assertTrue(out.contains("RESULT dev.lockstep.client.LockstepException"), out);
    assertTrue(out.contains("dev.lockstep:lock-client-se"), out);
  }

  @Test
  void withoutYasson_theErrorNamesTheArtifactToAdd() throws Exception {
    String out = runWithout(jar -> jar.startsWith("yasson-"));
    assertTrue(out.contains("RESULT dev.lockstep.client.LockstepException"), out);
    assertTrue(out.contains("dev.lockstep:lock-client-se"), out);
    assertTrue(out.contains("yasson"), out);
  }

  /** Runs {@link TryOnce} in a JVM of the runtime class path minus the jars {@code left} names. */
  private static String runWithout(Predicate<String> left) throws Exception {
    List<String> path = new ArrayList<>();
    path.add(
        Path.of(TryOnce.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString());
    Arrays.stream(classPath("lockstep.se.runtimeClassPath").split(File.pathSeparator))
        .filter(entry -> !left.test(Path.of(entry).getFileName().toString()))
        .forEach(path::add);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                String.join(File.pathSeparator, path),
                TryOnce.class.getName(),
                Integer.toString(deadPort()))
            .redirectErrorStream(true)
            .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ends");
    return out;
  }

  static String classPath(String property) throws IOException {
    return Files.readString(Path.of(System.getProperty(property))).trim();
  }

  /** A port nobody listens on: one the system just handed out and that was closed again. */
  private static int deadPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
