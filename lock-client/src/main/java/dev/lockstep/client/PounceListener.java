package dev.lockstep.client;

/** Told when a pounce gets its lock, or gives up; called on the pounce's own thread. */
public interface PounceListener {
  /** The lock is held; the handle is the listener's to release. */
  void granted(LockHandle handle);

  /** The pounce ended without the lock (its session was lost or the client closed). */
  default void failed(LockstepException cause) {}
}
