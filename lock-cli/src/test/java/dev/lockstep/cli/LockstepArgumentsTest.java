package dev.lockstep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The command line as parsed, with no server: usage errors never reach the network. */
class LockstepArgumentsTest {
  private static final Map<String, String> NO_ENVIRONMENT = Map.of();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void lock_withEveryOption_readsThemAndKeepsCmdWhole() {
    LockCommand lock =
        parsed(
            NO_ENVIRONMENT,
            LockCommand.class,
            "lock",
            "jobs/nightly",
            "--shared",
            "--wait",
            "PT30S",
            "--ttl",
            "5s",
            "--owner",
            "cron on host-1",
            "--kill-after",
            "250ms",
            "--",
            "sh",
            "-c",
            "echo --wait 1s",
            "--help");
    assertEquals("jobs/nightly", lock.name);
    assertTrue(lock.shared);
    assertEquals(Duration.ofSeconds(30), lock.wait);
    assertEquals(Duration.ofSeconds(5), lock.ttl);
    assertEquals("cron on host-1", lock.owner);
    assertEquals(Duration.ofMillis(250), lock.killAfter);
    assertEquals(List.of("sh", "-c", "echo --wait 1s", "--help"), lock.command);
  }

  @Test
  void lock_withNoOption_waitsWithoutLimitWithTheDefaults() {
    LockCommand lock = parsed(NO_ENVIRONMENT, LockCommand.class, "lock", "a", "--", "true");
    assertFalse(lock.shared);
    assertNull(lock.wait);
    assertEquals(Duration.ofSeconds(10), lock.ttl);
    assertEquals(Duration.ofSeconds(10), lock.killAfter);
    assertNull(lock.owner);
    assertEquals(List.of("true"), lock.command);
  }

  @Test
  void url_isTheOptionThenTheEnvironmentThenLocalhost() {
    assertEquals(
        URI.create("http://given:1"),
        top(Map.of(Lockstep.URL_VARIABLE, "http://env:2"), "--url", "http://given:1").url());
    assertEquals(
        URI.create("http://env:2"), top(Map.of(Lockstep.URL_VARIABLE, "http://env:2")).url());
    assertEquals(URI.create("http://localhost:8080"), top(NO_ENVIRONMENT).url());
    assertEquals(
        URI.create("http://localhost:8080"), top(Map.of(Lockstep.URL_VARIABLE, " ")).url());
  }

  @Test
  void watch_readsPrefixSinceAndJson() {
    WatchCommand watch =
        parsed(NO_ENVIRONMENT, WatchCommand.class, "watch", "jobs/", "--since", "42", "--json");
    assertEquals("jobs/", watch.prefix);
    assertEquals(42L, watch.since);
    assertTrue(watch.json);
  }

  @Test
  void statusAndWatch_withoutPrefix_coverEveryLockFromNow() {
    StatusCommand status = parsed(NO_ENVIRONMENT, StatusCommand.class, "status");
    assertEquals("", status.prefix);
    assertFalse(status.json);
    WatchCommand watch = parsed(NO_ENVIRONMENT, WatchCommand.class, "watch");
    assertEquals("", watch.prefix);
    assertNull(watch.since);
  }

  @Test
  void check_readsNameAndToken() {
    CheckCommand check = parsed(NO_ENVIRONMENT, CheckCommand.class, "check", "jobs/a", "17");
    assertEquals("jobs/a", check.name);
    assertEquals(17L, check.token);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "frobnicate",
        "--no-such-option status",
        "lock",
        "lock jobs/a",
        "lock jobs/a --",
        "lock jobs/a --wait soon -- true",
        "lock jobs/a --ttl -1s -- true",
        "lock jobs/a --kill-after 10 -- true",
        "lock jobs/a --bogus -- true",
        "status a b",
        "watch --since",
        "watch --since x",
        "watch --since -1",
        "check jobs/a",
        "check jobs/a seven",
        "check jobs/a 1 2",
        "--url http://[bad status"
      })
  void badUsage_exits64AndSaysWhatIsWrong(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    assertEquals(ExitStatus.USAGE, execute(NO_ENVIRONMENT, args), err.toString());
    assertTrue(err.toString().startsWith("lockstep: "), err.toString());
  }

  @Test
  void badUrlInTheEnvironment_exits64() {
    assertEquals(
        ExitStatus.USAGE,
        execute(Map.of(Lockstep.URL_VARIABLE, "http://[bad"), "status"),
        err.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "lock", "status", "watch", "check"})
  void help_onEveryCommand_printsUsageAndExits0(String command) {
    String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
    assertEquals(ExitStatus.OK, execute(NO_ENVIRONMENT, args));
    assertTrue(
        out.toString().startsWith("Usage: lockstep" + (command.isEmpty() ? "" : " " + command)),
        out.toString());
  }

  private int execute(Map<String, String> environment, String... args) {
    CommandLine line = Lockstep.commandLine(environment);
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    return line.execute(args);
  }

  private static Lockstep top(Map<String, String> environment, String... args) {
    CommandLine line = Lockstep.commandLine(environment);
    line.parseArgs(args);
    return line.getCommand();
  }

  private static <T> T parsed(Map<String, String> environment, Class<T> type, String... args) {
    ParseResult result = Lockstep.commandLine(environment).parseArgs(args);
    return type.cast(result.subcommand().commandSpec().userObject());
  }
}
