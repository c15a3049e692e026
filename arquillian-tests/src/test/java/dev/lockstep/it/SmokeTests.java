package dev.lockstep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lockstep.it.support.Api;
import org.junit.jupiter.api.Test;

abstract class SmokeTests {
  private final Api api = Api.ofServerUnderTest();

  @Test
  void ready_whenDeployed_isUp() {
    assertEquals(200, api.get("/health/ready").statusCode());
  }
}
