package dev.lockstep.it;

import dev.lockstep.it.support.LockServerProcess;
import org.junit.jupiter.api.Nested;

/** The restart scenarios on the default database, the embedded H2 file. */
class RestartIT extends RestartScenarios {
  @Override
  LockServerProcess newServer() {
    return LockServerProcess.fromBuild("restart-it", Integer.getInteger("it.port", 18080) + 200);
  }

  @Nested
  class AfterKillNine extends KillNineRound {}

  @Nested
  class AfterGracefulStop extends GracefulStopRound {}
}
