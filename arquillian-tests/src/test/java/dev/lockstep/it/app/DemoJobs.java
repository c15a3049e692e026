package dev.lockstep.it.app;

import dev.lockstep.client.cdi.CurrentLock;
import dev.lockstep.client.cdi.Locked;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A small application bean whose work must run one at a time per job: guarded by @Locked. */
@ApplicationScoped
public class DemoJobs {
  private final Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> mostInside = new ConcurrentHashMap<>();

  /** Runs job {@code id} for {@code millis} under lock demo/{id}; returns its fencing token. */
  @Locked(value = "demo/{0}", waitFor = "PT60S")
  public long run(String id, long millis) throws InterruptedException {
    int now = inside.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    mostInside.computeIfAbsent(id, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    try {
      Thread.sleep(millis);
      return CurrentLock.fencingToken();
    } finally {
      inside.get(id).decrementAndGet();
    }
  }

  /** The most calls of job {@code id} that were ever inside run() at once. */
  public int mostAtOnce(String id) {
    return mostInside.getOrDefault(id, new AtomicInteger()).get();
  }
}
