package dev.lockstep.lock;

import java.time.Duration;
import java.util.Arrays;
import org.awaitility.Awaitility;

/** Proof that a thread is blocked, not merely slow: parked inside the group commit's monitor. */
final class InGroupCommit {
  private InGroupCommit() {}

  /** Waits until {@code thread} waits in {@link GroupCommit#awaitSettled} for a batch to settle. */
  static void awaitBlocked(Thread thread) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                thread.getState() == Thread.State.WAITING
                    && Arrays.stream(thread.getStackTrace())
                        .anyMatch(
                            frame ->
                                frame.getClassName().equals(GroupCommit.class.getName())
                                    && frame.getMethodName().equals("awaitSettled")));
  }
}
