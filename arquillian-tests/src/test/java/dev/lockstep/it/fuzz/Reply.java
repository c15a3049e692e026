package dev.lockstep.it.fuzz;

import java.util.Optional;

/**
 * What came back: status, Content-Type and body (empty for an event stream, closed at once). Status
 * 0 is no answer at all, with the reason as its body.
 */
public record Reply(int status, Optional<String> contentType, String body) {

  static Reply none(String why) {
    return new Reply(0, Optional.empty(), why);
  }

  public boolean answered() {
    return status != 0;
  }
}
