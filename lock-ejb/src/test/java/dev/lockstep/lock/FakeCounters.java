package dev.lockstep.lock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.metrics.Counter;

/** A metric registry of plain counters, so that the totals are read as the metrics show them. */
final class FakeCounters implements LockCounters.Registry {
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  @Override
  public Counter counter(String name, String description) {
    return counters.computeIfAbsent(name, n -> new Plain());
  }

  long count(String name) {
    Counter counter = counters.get(name);
    if (counter == null) {
      throw new AssertionError("no counter " + name);
    }
    return counter.getCount();
  }

  private static final class Plain implements Counter {
    private final AtomicLong count = new AtomicLong();

    @Override
    public void inc() {
      count.incrementAndGet();
    }

    @Override
    public void inc(long n) {
      count.addAndGet(n);
    }

    @Override
    public long getCount() {
      return count.get();
    }
  }
}
