package dev.lockstep.client;

import dev.lockstep.client.cache.CacheFeed;
import dev.lockstep.client.cache.LockCache;
import dev.lockstep.client.stream.EventStream;
import jakarta.ws.rs.client.ClientBuilder;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client's one event stream, opened on first need (the cache at create, else the first watch)
 * and feeding both the cache and the watches.
 */
final class SharedStream implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SharedStream.class.getName());

  private final LockHttp calls;
  private final String prefix;
  private final Optional<LockCache> cache;
  private final Watches watches;
  private final Supplier<ClientBuilder> builder;
  private EventStream stream;

  SharedStream(
      LockHttp calls,
      String prefix,
      Optional<LockCache> cache,
      Watches watches,
      Supplier<ClientBuilder> builder) {
    this.calls = calls;
    this.prefix = prefix;
    this.cache = cache;
    this.watches = watches;
    this.builder = builder;
  }

  /** Opens the stream unless open; with the cache on, loads the cache first (one HTTP call). */
  synchronized void start() {
    if (stream != null) {
      return;
    }
    long after = -1;
    if (cache.isPresent()) {
      cache.get().load(calls.list(prefix));
      after = cache.get().revision();
    } else {
      // Resume from the revision of now, not "live from whenever the stream connects": a watch
      // must see the changes made after watch() returned, while its stream was connecting.
      try {
        after = calls.list(prefix).revision();
      } catch (ServerException e) {
        LOG.log(Level.FINE, "reading the revision to watch from; watching live from connect", e);
      }
    }
    stream = new EventStream(builder.get(), calls::events, calls::streamUnanswered, prefix, after);
    cache.ifPresent(c -> stream.addListener(new CacheFeed(c, () -> calls.list(prefix))));
    stream.addListener(watches);
    stream.start();
  }

  @Override
  public synchronized void close() {
    if (stream != null) {
      stream.close();
    }
  }
}
