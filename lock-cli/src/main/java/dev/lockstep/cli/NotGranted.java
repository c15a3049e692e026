package dev.lockstep.cli;

import dev.lockstep.api.HolderView;
import dev.lockstep.api.LockView;
import dev.lockstep.api.SessionView;
import dev.lockstep.client.ServerException;
import java.time.Duration;
import java.util.Optional;

/**
 * The stderr message of a lock not granted within {@code --wait}: who holds it and how many wait,
 * so that the operator reading a cron mail knows whom to ask.
 *
 * <p>{@code LockClient.tryAcquire} answers only "not granted", not the holders its 409 named; the
 * lock is read once more here, so a lock that was freed in between reads as free.
 */
final class NotGranted {
  private NotGranted() {}

  static String describe(String name, Duration wait, LockView view, ServerReads reads) {
    StringBuilder message =
        new StringBuilder("lockstep: lock ")
            .append(name)
            .append(" not granted within ")
            .append(Durations.text(wait));
    if (view.holders().isEmpty()) {
      message.append("; it has been released since, try again");
    } else {
      message.append("; held ").append(view.mode()).append(" by");
      for (HolderView h : view.holders()) {
        message.append("\n  session ").append(h.session());
        sessionName(h.session(), reads).ifPresent(n -> message.append(" (").append(n).append(')'));
        message
            .append(", owner ")
            .append(h.owner())
            .append(", fencing token ")
            .append(h.fencingToken())
            .append(", since ")
            .append(h.since());
      }
    }
    if (!view.waiters().isEmpty()) {
      message.append("\n  and ").append(view.waiters().size()).append(" waiting");
    }
    return message.toString();
  }

  /** A name helps, but is not worth failing the message for. */
  private static Optional<String> sessionName(String id, ServerReads reads) {
    try {
      return reads.session(id).map(SessionView::name);
    } catch (ServerException e) {
      return Optional.empty();
    }
  }
}
