package dev.lockstep.it.crash;

import java.util.Optional;

/**
 * What one crash-test client has been told, replaced as a whole so that the controller reads a
 * consistent picture the moment it kills the server. Times are {@link System#nanoTime()}.
 *
 * @param session the session id, null before the first is opened
 * @param sessionAckedAt when its creation was answered
 * @param held the grant it was answered and has not yet let go of, if any
 */
record ClientState(String session, String token, long sessionAckedAt, Optional<HeldGrant> held) {

  /**
   * A grant the client was told about.
   *
   * @param ackedAt when the grant's answer arrived
   * @param releaseSentAt when its release was first sent, 0 while it was not
   */
  record HeldGrant(String lock, long token, long ackedAt, long releaseSentAt) {
    HeldGrant releasing(long now) {
      return releaseSentAt != 0 ? this : new HeldGrant(lock, token, ackedAt, now);
    }

    /** Answered before the kill began, and no release of it could have reached the server. */
    boolean mustSurvive(long killStarted, long killEnded) {
      return ackedAt < killStarted && (releaseSentAt == 0 || releaseSentAt > killEnded);
    }
  }

  static ClientState none() {
    return new ClientState(null, null, 0, Optional.empty());
  }

  ClientState withHeld(HeldGrant grant) {
    return new ClientState(session, token, sessionAckedAt, Optional.ofNullable(grant));
  }
}
