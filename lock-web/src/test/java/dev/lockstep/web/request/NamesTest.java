package dev.lockstep.web.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.LockTableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @Test
  void lock_whenValid_isTheLockName() {
    assertEquals(new LockName("jobs/nightly"), Names.lock("jobs/nightly"));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"", "/a", "a//b", "a/../b", "a b", "a;b", "a%3Bb"})
  void lock_whenInvalid_isBadRequestWithTheNamesProblem(String raw) {
    LockTableException refused = assertThrows(LockTableException.class, () -> Names.lock(raw));

    assertEquals(ProblemType.BAD_REQUEST, refused.type());
    assertEquals(LockName.problemWith(raw).orElseThrow(), refused.getMessage());
  }

  @Test
  void lock_whenMissing_isBadRequest() {
    LockTableException refused = assertThrows(LockTableException.class, () -> Names.lock(null));

    assertEquals(ProblemType.BAD_REQUEST, refused.type());
    assertEquals("lock name is required", refused.getMessage());
  }

  @Test
  void mode_ofWireWord_isThatMode() {
    assertEquals(LockMode.EXCLUSIVE, Names.mode("exclusive"));
    assertEquals(LockMode.SHARED, Names.mode("shared"));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"", "Shared", "EXCLUSIVE", "read", " shared"})
  void mode_ofOtherWord_isBadRequest(String raw) {
    LockTableException refused = assertThrows(LockTableException.class, () -> Names.mode(raw));

    assertEquals(ProblemType.BAD_REQUEST, refused.type());
    assertEquals("mode must be \"exclusive\" or \"shared\"", refused.getMessage());
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"1", "42", "9223372036854775807"})
  void fencingToken_ofPositiveInteger_isThatNumber(String raw) {
    assertEquals(Long.parseLong(raw), Names.fencingToken(raw));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"0", "-1", "x", "", "1.5", " 1", "9223372036854775808"})
  void fencingToken_ofAnythingElse_isBadRequest(String raw) {
    LockTableException refused =
        assertThrows(LockTableException.class, () -> Names.fencingToken(raw));

    assertEquals(ProblemType.BAD_REQUEST, refused.type());
    assertEquals("a fencing token is a positive integer", refused.getMessage());
  }

  @Test
  void fencingToken_whenMissing_isBadRequest() {
    LockTableException refused =
        assertThrows(LockTableException.class, () -> Names.fencingToken(null));

    assertEquals(ProblemType.BAD_REQUEST, refused.type());
  }

  @Test
  void pageLimit_whenAbsent_isTheFallback_elseTheNumber() {
    assertEquals(100, Names.pageLimit(null, 100));
    assertEquals(7, Names.pageLimit("7", 100));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"", "x", "1.5", "99999999999"})
  void pageLimit_whenNotAnInteger_isBadRequest(String raw) {
    LockTableException refused =
        assertThrows(LockTableException.class, () -> Names.pageLimit(raw, 100));

    assertEquals(ProblemType.BAD_REQUEST, refused.type());
  }

  @Test
  void flag_isTrueOnlyForTrue_andRefusesOtherWords() {
    assertEquals(false, Names.flag("delayed", null));
    assertEquals(false, Names.flag("delayed", "false"));
    assertEquals(true, Names.flag("delayed", "true"));
    LockTableException refused =
        assertThrows(LockTableException.class, () -> Names.flag("delayed", "yes"));
    assertEquals(ProblemType.BAD_REQUEST, refused.type());
    assertEquals("delayed is true or false", refused.getMessage());
  }
}
