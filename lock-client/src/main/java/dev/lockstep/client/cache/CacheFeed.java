package dev.lockstep.client.cache;

import dev.lockstep.api.LockEvent;
import dev.lockstep.api.LockList;
import dev.lockstep.client.stream.StreamListener;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a {@link LockCache} current from the event stream: current while the stream is connected,
 * each event applied, and after a {@code reset} invalid until it is read again in full.
 */
public final class CacheFeed implements StreamListener {
  private static final Logger LOG = Logger.getLogger(CacheFeed.class.getName());

  private final LockCache cache;
  private final Supplier<LockList> fullRead;

  /** Feeds {@code cache}; {@code fullRead} reads every lock under its prefix (one HTTP call). */
  public CacheFeed(LockCache cache, Supplier<LockList> fullRead) {
    this.cache = cache;
    this.fullRead = fullRead;
  }

  @Override
  public void connected() {
    cache.streaming(true);
  }

  @Override
  public void event(LockEvent event) {
    cache.apply(event);
  }

  @Override
  public void reset(long revision) {
    cache.invalidate();
    try {
      cache.load(fullRead.get());
    } catch (RuntimeException e) {
      // Stays invalid, so status is read over HTTP, until a later reset loads it again.
      LOG.log(Level.FINE, "reloading the cache after a reset", e);
    }
  }

  @Override
  public void disconnected() {
    cache.streaming(false);
  }
}
