package dev.lockstep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "PT30S, 30000",
    "pt1m, 60000",
    "PT0.25S, 250",
    "P1D, 86400000",
    "30s, 30000",
    "0s, 0",
    "1500ms, 1500",
    "0ms, 0",
    "5m, 300000",
    "0m, 0"
  })
  void parse_whenIsoOrShort_givesTheDuration(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), Durations.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "30", "s", "ms", "3h", "-1s", "1.5s", "30 s", "30S", "PT-1S", "P", "PTxS", "s30"
      })
  void parse_whenNeitherForm_refusesNamingBothForms(String text) {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertTrue(refused.getMessage().contains(text), refused.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"999999999999999999m"})
  void parse_whenTooLong_refuses(String text) {
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
  }

  @ParameterizedTest
  @CsvSource({"0, 0s", "1500, 1500ms", "30000, 30s", "120000, 2m", "90000, 90s", "7200000, PT2H"})
  void text_writesTheShortFormPeopleType(long millis, String text) {
    assertEquals(text, Durations.text(Duration.ofMillis(millis)));
  }
}
