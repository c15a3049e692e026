package dev.lockstep.it.support;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Threads that play a test's concurrent clients, stopped after the test: registered with {@code
 * RegisterExtension} on a test instance, so a client still waiting when a test fails does not
 * outlive it.
 */
public final class ClientThreads implements Executor, AfterEachCallback {
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @Override
  public void execute(Runnable command) {
    threads.execute(command);
  }

  public <T> Future<T> submit(Callable<T> client) {
    return threads.submit(client);
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
  }
}
