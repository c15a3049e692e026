package dev.lockstep.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lock names as shared/API.md defines them: 1 to 256 characters of {@code A-Z a-z 0-9 . _ - : /},
 * no empty segment, no {@code .} or {@code ..} segment, no leading or trailing {@code /}.
 */
class LockNameTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "Z",
        "7",
        "jobs/a",
        "a/b/c",
        "jobs/nightly-report_2025:01",
        "ABC.xyz-09_:",
        ".a",
        "a.",
        "..a",
        "a..",
        "...",
        "a/.../b",
        "a/.x/b",
        ":",
        "-",
        "_"
      })
  void lockName_whenWithinTheRules_isValid(String candidate) {
    assertTrue(LockName.isValid(candidate));
    assertTrue(LockName.problemWith(candidate).isEmpty());
    assertEquals(candidate, new LockName(candidate).value());
  }

  @Test
  void lockName_ofExactlyMaxLength_isValid() {
    String longest = "a".repeat(LockName.MAX_LENGTH);
    String longestWithSegments = ("abc/".repeat(64)).substring(0, 255) + "z";

    assertEquals(256, longest.length());
    assertEquals(256, longestWithSegments.length());
    assertTrue(LockName.isValid(longest));
    assertTrue(LockName.isValid(longestWithSegments));
  }

  @Test
  void lockName_oneCharacterPastMaxLength_isInvalid() {
    String tooLong = "a".repeat(LockName.MAX_LENGTH + 1);

    assertFalse(LockName.isValid(tooLong));
    assertThrows(IllegalArgumentException.class, () -> new LockName(tooLong));
  }

  static Stream<String> invalidNames() {
    return Stream.of(
        "",
        "/",
        "//",
        "/a",
        "a/",
        "/a/",
        "a//b",
        ".",
        "..",
        "./a",
        "a/.",
        "a/./b",
        "../a",
        "a/..",
        "a/../b",
        "a b",
        " a",
        "a ",
        "a\tb",
        "a\nb",
        "a\u0000b",
        "a*b",
        "a?b",
        "a#b",
        "a%2Fb",
        "a\\b",
        "a+b",
        "a,b",
        "a@b",
        "a~b",
        "jobs/é",
        "Ä",
        "ﬁle",
        "ａ",
        "a\u00a0b",
        "a\u200bb",
        "\uD83D\uDD12");
  }

  @ParameterizedTest
  @MethodSource("invalidNames")
  void lockName_whenBreakingTheRules_isInvalidWithAReason(String candidate) {
    assertFalse(LockName.isValid(candidate));
    assertTrue(LockName.problemWith(candidate).isPresent());
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> new LockName(candidate));
    assertEquals(LockName.problemWith(candidate).orElseThrow(), refused.getMessage());
  }

  @Test
  void lockName_null_isInvalidAndRefused() {
    assertFalse(LockName.isValid(null));
    assertThrows(NullPointerException.class, () -> new LockName(null));
  }

  @Test
  void lockName_comparesAndPrintsAsItsValue() {
    LockName a = new LockName("jobs/a");
    LockName b = new LockName("jobs/b");

    assertTrue(a.compareTo(b) < 0);
    assertEquals(0, a.compareTo(new LockName("jobs/a")));
    assertEquals(a, new LockName("jobs/a"));
    assertEquals("jobs/a", a.toString());
  }
}
