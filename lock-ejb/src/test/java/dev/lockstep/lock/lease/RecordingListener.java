package dev.lockstep.lock.lease;

import java.util.ArrayList;
import java.util.List;

/** Remembers what the keeper told, in order: "active 3", "down". */
final class RecordingListener implements LeaseKeeper.Listener {
  final List<String> told = new ArrayList<>();

  @Override
  public synchronized void becameActive(long epoch) {
    told.add("active " + epoch);
  }

  @Override
  public synchronized void steppedDown() {
    told.add("down");
  }
}
