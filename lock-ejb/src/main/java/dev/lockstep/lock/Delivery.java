package dev.lockstep.lock;

import dev.lockstep.lock.table.Changes;
import dev.lockstep.lock.table.WaitEnded;
import dev.lockstep.lock.table.WaitEnded.WaitGranted;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import java.util.List;

/**
 * One operation's changes as queued for the store, with the waiters whose waits it ended: what the
 * {@link CommitDispatcher} delivers once, and only if, the changes are stored.
 */
record Delivery(Changes changes, List<Telling> tellings) {
  Delivery {
    tellings = List.copyOf(tellings);
  }

  /** How one wait ended, for the listener that waits on it. */
  record Telling(WaitListener listener, WaitEnded ended) {
    void tell() {
      if (ended instanceof WaitGranted granted) {
        listener.granted(granted.grant());
      } else if (ended instanceof WaitRefused refused) {
        listener.refused(refused);
      }
    }
  }
}
