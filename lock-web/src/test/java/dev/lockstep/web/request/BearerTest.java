package dev.lockstep.web.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTest {

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(
      strings = {
        "Bearer abc.def",
        "bearer abc.def",
        "BEARER abc.def",
        "  Bearer abc.def  ",
        "Bearer    abc.def",
        "Bearer abc.def\t"
      })
  void token_ofBearerHeader_isWhatFollowsTheScheme(String authorization) {
    assertEquals(Optional.of("abc.def"), Bearer.token(authorization));
    assertEquals("abc.def", Bearer.presented(authorization));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(
      strings = {
        "",
        "   ",
        "Bearer",
        "Bearer ",
        "Bearer  \t ",
        "Bearer\tabc.def",
        "Bearerabc.def",
        "Basic abc.def",
        "abc.def"
      })
  void token_ofHeaderWithoutBearerToken_isEmptyAndPresentedAsTheEmptyToken(String authorization) {
    assertEquals(Optional.empty(), Bearer.token(authorization));
    assertEquals("", Bearer.presented(authorization));
  }

  @Test
  void token_withoutHeader_isEmptyAndPresentedAsTheEmptyToken() {
    assertEquals(Optional.empty(), Bearer.token(null));
    assertEquals("", Bearer.presented(null));
  }

  @Test
  void token_keepsWhatTheTableJudges() {
    // Malformed tokens are the lock table's to refuse (401): the header only delivers them.
    assertEquals(Optional.of("not a token at all"), Bearer.token("Bearer not a token at all"));
  }
}
