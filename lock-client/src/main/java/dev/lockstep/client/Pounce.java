package dev.lockstep.client;

import dev.lockstep.api.LockMode;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Waits in line for a lock on a thread of its own and hands it over the instant it is granted. A
 * dropped connection or a restarted server ends a wait; the pounce then queues again (its session
 * survives a restart). Cancelling withdraws the queued request on the server, so the place in line
 * is given up at once rather than when the wait would have run out.
 */
final class Pounce implements Subscription {
  private static final Logger LOG = Logger.getLogger(Pounce.class.getName());

  private final ClientCore core;
  private final String name;
  private final LockMode mode;
  private final PounceListener listener;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final Thread thread;

  Pounce(ClientCore core, String name, LockMode mode, PounceListener listener) {
    this.core = core;
    this.name = name;
    this.mode = mode;
    this.listener = listener;
    this.thread = new Thread(this::run, "lockstep-pounce-" + name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    long backoffMillis = 100;
    while (!cancelled.get()) {
      try {
        LockHandle handle =
            core.tryAcquire(name, mode, Optional.of(ClientCore.LONGEST_WAIT)).handle().orElse(null);
        if (handle == null) {
          continue; // the wait ran out: queue again
        }
        if (cancelled.get()) {
          handle.close(); // granted as it was cancelled: give it back
          return;
        }
        listener.granted(handle);
        return;
      } catch (SessionUnavailableException e) {
        if (e.state() != SessionState.JEOPARDY) {
          listener.failed(e);
          return;
        }
        // Keep-alives fail while the server restarts: the session may well come back (the
        // server gives it a grace period), so wait for it to be confirmed or lost.
        sleep(backoffMillis);
        backoffMillis = Math.min(5_000, backoffMillis * 2);
      } catch (ServerException e) {
        // The server is unreachable or restarting: queue again once it answers.
        LOG.log(Level.FINE, "pounce on " + name + " lost its wait; queueing again", e);
        sleep(backoffMillis);
        backoffMillis = Math.min(5_000, backoffMillis * 2);
      } catch (LockNotGrantedException e) {
        // Refused at once (e.g. our own queued request was withdrawn): stop if cancelled.
        if (!cancelled.get()) {
          sleep(backoffMillis);
        }
      } catch (LockstepException e) {
        listener.failed(e);
        return;
      }
    }
  }

  /** Stops pouncing; a request in line is withdrawn on the server. Safe to call twice. */
  @Override
  public void close() {
    if (cancelled.compareAndSet(false, true) && Thread.currentThread() != thread) {
      // The request may still be on its way to the line: withdraw until the pounce thread ends.
      for (int i = 0; i < 50 && thread.isAlive(); i++) {
        core.withdrawQuietly(name);
        try {
          thread.join(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
