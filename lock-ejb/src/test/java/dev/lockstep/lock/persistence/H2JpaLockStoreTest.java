package dev.lockstep.lock.persistence;

/** The store on the default embedded H2 file database. */
class H2JpaLockStoreTest extends JpaLockStoreContract {
  @Override
  StoreSettings settings() {
    return StoreSettings.h2(dataDir);
  }
}
