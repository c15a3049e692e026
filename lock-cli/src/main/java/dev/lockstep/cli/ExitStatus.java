package dev.lockstep.cli;

import dev.lockstep.client.ServerException;

/**
 * The exit statuses of {@code lockstep}, from BSD's sysexits.h where one fits, so that cron
 * wrappers and shell scripts can tell "try later" from "fix the command line".
 */
final class ExitStatus {
  static final int OK = 0;

  /** {@code check}: the token is not the lock's current grant. */
  static final int NOT_CURRENT = 1;

  /** EX_USAGE: the command line is wrong. */
  static final int USAGE = 64;

  /** EX_UNAVAILABLE: the lock server could not be reached. */
  static final int UNAVAILABLE = 69;

  /** EX_SOFTWARE: the session or the lock was lost while CMD ran, or the server failed us. */
  static final int LOST = 70;

  /** EX_TEMPFAIL: the lock was not granted within {@code --wait}; try again later. */
  static final int NOT_GRANTED = 75;

  /** What shells answer for a command they cannot find or run. */
  static final int CANNOT_RUN = 127;

  private ExitStatus() {}

  /** The status for a refusal or failure of the server. */
  static int of(ServerException e) {
    return switch (e.status()) {
      case 0 -> UNAVAILABLE;
      case 400, 413 -> USAGE;
      case 429, 503 -> NOT_GRANTED; // a count limit or a server not ready: worth a retry
      default -> LOST;
    };
  }
}
