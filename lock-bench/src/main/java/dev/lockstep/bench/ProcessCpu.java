package dev.lockstep.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time a server process has used so far, all its threads, user and system: {@code utime +
 * stime} of {@code /proc/<pid>/stat} in clock ticks, turned into seconds with the kernel's tick
 * rate ({@code getconf CLK_TCK}). Read at the start and the end of a measured window, the
 * difference is the server's CPU over that window, whatever else the machine runs.
 */
final class ProcessCpu {
  /** Fields 14 and 15 of proc(5) are utime and stime; counted here from field 3, after the name. */
  private static final int UTIME_AFTER_NAME = 14 - 3;

  private final Path stat;
  private final long ticksPerSecond;

  ProcessCpu(long pid, long ticksPerSecond) {
    this(Path.of("/proc", Long.toString(pid), "stat"), ticksPerSecond);
  }

  ProcessCpu(Path stat, long ticksPerSecond) {
    if (ticksPerSecond <= 0) {
      throw new IllegalArgumentException(
          "clock ticks per second must be positive: " + ticksPerSecond);
    }
    this.stat = stat;
    this.ticksPerSecond = ticksPerSecond;
  }

  /** CPU seconds the process has used since it started. */
  double seconds() throws IOException {
    return ticks(Files.readString(stat, StandardCharsets.US_ASCII)) / (double) ticksPerSecond;
  }

  /**
   * {@code utime + stime} of one {@code /proc/<pid>/stat} line. The second field, the command name
   * in parentheses, may itself hold spaces and parentheses (a Java thread can name its process
   * anything), so the fields are counted from the last {@code ')'}.
   */
  static long ticks(String statLine) {
    int nameEnd = statLine.lastIndexOf(')');
    if (nameEnd < 0) {
      throw new IllegalArgumentException(
          "not a /proc/<pid>/stat line (no command name): " + statLine);
    }
    String[] fields = statLine.substring(nameEnd + 1).trim().split("\\s+");
    if (fields.length < UTIME_AFTER_NAME + 2) {
      throw new IllegalArgumentException(
          "not a /proc/<pid>/stat line (" + fields.length + " fields after the name): " + statLine);
    }
    try {
      return Long.parseLong(fields[UTIME_AFTER_NAME])
          + Long.parseLong(fields[UTIME_AFTER_NAME + 1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("utime or stime is not a number: " + statLine, e);
    }
  }

  /** The kernel's clock ticks per second, as {@code getconf CLK_TCK} prints it (100 on Linux). */
  static long clockTicksPerSecond() throws IOException, InterruptedException {
    Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
    String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    if (!getconf.waitFor(30, TimeUnit.SECONDS) || getconf.exitValue() != 0) {
      throw new IOException("getconf CLK_TCK failed: " + out);
    }
    return parseClockTicks(out);
  }

  static long parseClockTicks(String getconfOutput) {
    try {
      long ticks = Long.parseLong(getconfOutput.trim());
      if (ticks <= 0) {
        throw new IllegalArgumentException("getconf CLK_TCK printed " + ticks);
      }
      return ticks;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("getconf CLK_TCK printed " + getconfOutput.trim(), e);
    }
  }
}
