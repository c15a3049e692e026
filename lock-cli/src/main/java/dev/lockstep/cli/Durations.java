package dev.lockstep.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * DURATION on the command line: ISO-8601 ({@code PT30S}) as the wire contract writes it, or the
 * short form people type ({@code 500ms}, {@code 30s}, {@code 5m}). Never negative.
 */
final class Durations implements ITypeConverter<Duration> {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,18})(ms|s|m)");

  /**
   * The duration {@code text} means; {@link IllegalArgumentException} naming both forms if none.
   */
  static Duration parse(String text) {
    Duration duration = text.startsWith("P") || text.startsWith("p") ? iso(text) : shortForm(text);
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a duration must not be negative: " + text);
    }
    return duration;
  }

  /** As people write it: {@code 0s}, {@code 30s}, {@code 1500ms}, {@code PT2H} past an hour. */
  static String text(Duration duration) {
    if (duration.toMillis() % 1000 != 0) {
      return duration.toMillis() + "ms";
    }
    long seconds = duration.toSeconds();
    return seconds % 60 == 0 && seconds > 0 && seconds < 3600
        ? seconds / 60 + "m"
        : seconds < 3600 ? seconds + "s" : duration.toString();
  }

  @Override
  public Duration convert(String text) {
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  private static Duration iso(String text) {
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw invalid(text);
    }
  }

  private static Duration shortForm(String text) {
    Matcher m = SHORT.matcher(text);
    if (!m.matches()) {
      throw invalid(text);
    }
    long amount = Long.parseLong(m.group(1));
    try {
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        default -> Duration.ofMinutes(amount);
      };
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration too long: " + text, e);
    }
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "not a duration: '"
            + text
            + "' (write ISO-8601 like PT30S, or a number with ms, s or m like 30s)");
  }
}
