package dev.lockstep.bench;

/**
 * One lock service as the benchmark sees it: clients, each with a session of its own (a Lockstep
 * session, a ZooKeeper session, an etcd lease), that acquire exclusive locks by name and release
 * them. The workloads are written once against this and run unchanged on every system.
 */
interface LockSystem {
  /** The name in RESULT lines: {@code lockstep}, {@code zookeeper}, {@code etcd}. */
  String name();

  /** A new client with a session of its own; blocks until the session is open. */
  Client connect() throws Exception;

  interface Client extends AutoCloseable {
    /** Acquires {@code lock} exclusively, waiting in line as long as it takes. Blocks. */
    Held acquire(String lock) throws Exception;

    /** Ends the session (its locks are released). */
    @Override
    void close() throws Exception;
  }

  interface Held {
    /** Releases the lock; on the thread that acquired it (Curator's mutex insists). */
    void release() throws Exception;
  }
}
