package dev.lockstep.lock.persistence;

import java.util.List;

/**
 * The names of the tables the store creates: one list, for the entities and for the tests that drop
 * them to start from an empty database.
 */
public final class StoreTables {
  public static final String SESSION = "LOCKSTEP_SESSION";
  public static final String GRANT = "LOCKSTEP_GRANT";
  public static final String COUNTER = "LOCKSTEP_COUNTER";
  public static final String EVENT = "LOCKSTEP_EVENT";
  public static final String LOCK_DELAY = "LOCKSTEP_LOCK_DELAY";
  public static final String JOURNAL = "LOCKSTEP_JOURNAL";

  /** Every table of the store. */
  public static final List<String> ALL =
      List.of(SESSION, GRANT, COUNTER, EVENT, LOCK_DELAY, JOURNAL);

  private StoreTables() {}
}
