package dev.lockstep.lock.table;

/**
 * The one server-wide counter behind fencing tokens and revisions. It only grows: every value is
 * handed out once, across restarts too, because persistence stores it with each change.
 */
final class FencingCounter {
  private long last;

  FencingCounter(long last) {
    if (last < 0) {
      throw new IllegalArgumentException("counter must not be negative: " + last);
    }
    this.last = last;
  }

  long next() {
    return ++last;
  }

  long last() {
    return last;
  }
}
