package dev.lockstep.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * ZooKeeper through Curator's {@link InterProcessMutex}: one CuratorFramework (one ZooKeeper
 * session, 10 s timeout like the Lockstep sessions) per benchmark client. A mutex object per lock
 * name and client is kept: it is the recipe's own per-process reentrancy, nothing cached on the
 * server side; in {@code uncontended-shared}, where 16 threads share one client each on a lock of
 * its own, that is one mutex per thread on the one CuratorFramework.
 */
final class ZooKeeperSystem implements LockSystem {
  private final String connectString;

  ZooKeeperSystem(String connectString) {
    this.connectString = connectString;
  }

  @Override
  public String name() {
    return "zookeeper";
  }

  @Override
  public Client connect() throws Exception {
    CuratorFramework curator =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs(10_000)
            .connectionTimeoutMs(5_000)
            .retryPolicy(new ExponentialBackoffRetry(100, 3))
            .build();
    curator.start();
    if (!curator.blockUntilConnected(30, TimeUnit.SECONDS)) {
      curator.close();
      throw new IllegalStateException("no ZooKeeper session at " + connectString);
    }
    Map<String, InterProcessMutex> mutexes = new HashMap<>();
    return new Client() {
      @Override
      public Held acquire(String lock) throws Exception {
        InterProcessMutex mutex;
        synchronized (mutexes) {
          mutex = mutexes.computeIfAbsent(lock, l -> new InterProcessMutex(curator, "/" + l));
        }
        mutex.acquire();
        return mutex::release;
      }

      @Override
      public void close() {
        curator.close();
      }
    };
  }
}
