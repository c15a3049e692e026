package dev.lockstep.lock;

import dev.lockstep.lock.table.Grant;
import dev.lockstep.lock.table.WaitEnded.WaitRefused;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A waiter that records how its wait ended, on which thread, and what the store held by then: the
 * number of batches stored, and for a grant whether it was among them.
 */
final class RecordingListener implements WaitListener {
  record Told(Object ending, String thread, int batchesStored, boolean grantStored) {}

  private final FakeLockStore store;
  private final List<Told> told = new CopyOnWriteArrayList<>();

  RecordingListener(FakeLockStore store) {
    this.store = store;
  }

  @Override
  public void granted(Grant grant) {
    told.add(
        new Told(
            grant,
            Thread.currentThread().getName(),
            store.batches().size(),
            store.holdsGrant(grant)));
  }

  @Override
  public void refused(WaitRefused refusal) {
    told.add(new Told(refusal, Thread.currentThread().getName(), store.batches().size(), false));
  }

  List<Told> told() {
    return told;
  }
}
