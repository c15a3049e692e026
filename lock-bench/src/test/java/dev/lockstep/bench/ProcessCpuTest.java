package dev.lockstep.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCpuTest {
  /** A line as Linux writes it for a JVM: utime 4711 and stime 289 are fields 14 and 15. */
  private static final String JAVA_LINE =
      "12345 (java) S 1 12345 12345 0 -1 4194560 81234 0 12 0 4711 289 0 0 20 0 57 0 9876543"
          + " 4294967296 123456 18446744073709551615 1 1 0 0 0 0 16800975 0 0 0 17 1 0 0 0 0 0";

  @Test
  void addsUserAndSystemTicks() {
    assertEquals(4711 + 289, ProcessCpu.ticks(JAVA_LINE));
  }

  @Test
  void countsFieldsAfterTheLastParenthesisSoACommandNameWithSpacesAndParenthesesIsSkipped() {
    String tricky = JAVA_LINE.replace("(java)", "(my (odd) name 1 2 3)");
    assertEquals(4711 + 289, ProcessCpu.ticks(tricky));
  }

  @Test
  void refusesWhatIsNotAStatLine() {
    assertThrows(IllegalArgumentException.class, () -> ProcessCpu.ticks("12345 java S 1 2 3"));
    assertThrows(IllegalArgumentException.class, () -> ProcessCpu.ticks("12345 (java) S 1 2 3"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ProcessCpu.ticks(JAVA_LINE.replace(" 4711 ", " many ")));
  }

  @Test
  void turnsTicksIntoSecondsWithTheGivenTickRate(@TempDir Path dir) throws Exception {
    Path stat = dir.resolve("stat");
    Files.writeString(stat, JAVA_LINE + "\n");
    assertEquals(50.0, new ProcessCpu(stat, 100).seconds(), 1e-9);
    assertEquals(5.0, new ProcessCpu(stat, 1000).seconds(), 1e-9);
  }

  @Test
  void parsesGetconfOutputAndRefusesNonsense() {
    assertEquals(100, ProcessCpu.parseClockTicks("100\n"));
    assertThrows(IllegalArgumentException.class, () -> ProcessCpu.parseClockTicks("undefined\n"));
    assertThrows(IllegalArgumentException.class, () -> ProcessCpu.parseClockTicks("0"));
    assertThrows(IllegalArgumentException.class, () -> new ProcessCpu(Path.of("stat"), 0));
  }

  @Test
  void readsTheCpuThisProcessSpendsFromProc() throws Exception {
    long ticksPerSecond = ProcessCpu.clockTicksPerSecond();
    assertTrue(ticksPerSecond > 0, "CLK_TCK " + ticksPerSecond);
    ProcessCpu self = new ProcessCpu(ProcessHandle.current().pid(), ticksPerSecond);
    double before = self.seconds();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(1))
        .until(
            () -> {
              spin();
              return self.seconds() > before;
            });
  }

  /** Burns some CPU on the polling thread, so that the process's ticks must grow. */
  private static void spin() {
    long end = System.nanoTime() + 20_000_000;
    double x = 1;
    while (System.nanoTime() < end) {
      x = Math.sqrt(x + 1);
    }
    assertTrue(x > 0);
  }
}
