package dev.lockstep.web.sse;

import dev.lockstep.api.LockEvent;
import dev.lockstep.lock.events.Watcher;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client of {@code GET /api/v1/events}. The lock service offers it events under its lock; they
 * wait in a bounded buffer and a shared pool of sender threads writes them out, one drain at a time
 * per watcher. A watcher whose buffer fills (it stopped reading, or reads too slowly) is dropped
 * and its stream closed, so that it never holds up a grant or another watcher.
 */
final class SseWatcher implements Watcher {
  private static final Logger LOG = Logger.getLogger(SseWatcher.class.getName());
  private static final Object KEEP_ALIVE = new Object();

  /** A replayed event: sent like a live one, but never counted against the buffer. */
  private record Replayed(LockEvent event) {}

  private final SseEventSink sink;
  private final Sse sse;
  private final Executor senders;
  private final int capacity;
  private final Consumer<SseWatcher> onClose;
  private final ConcurrentLinkedQueue<Object> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger buffered = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long lastWriteNanos = System.nanoTime();

  SseWatcher(
      SseEventSink sink, Sse sse, Executor senders, int capacity, Consumer<SseWatcher> onClose) {
    this.sink = sink;
    this.sse = sse;
    this.senders = senders;
    this.capacity = capacity;
    this.onClose = onClose;
  }

  @Override
  public void start(List<LockEvent> replay, boolean reset, long revision) {
    if (reset) {
      outbox.add(
          sse.newEventBuilder()
              .id(Long.toString(revision))
              .name("reset")
              .data("{\"revision\":" + revision + "}")
              .build());
    }
    replay.forEach(event -> outbox.add(new Replayed(event)));
    scheduleDrain();
  }

  @Override
  public boolean offer(LockEvent event) {
    if (closed.get() || buffered.incrementAndGet() > capacity) {
      return false;
    }
    outbox.add(event);
    scheduleDrain();
    return true;
  }

  @Override
  public void dropped() {
    LOG.fine("dropping a watcher that fell " + capacity + " events behind");
    // Called under the lock service's event lock: closing may write, so it happens on a sender.
    outbox.clear();
    senders.execute(this::close);
  }

  /** Queues a comment if nothing was written for {@code idleNanos}. */
  void keepAliveIfIdle(long idleNanos) {
    if (!closed.get() && System.nanoTime() - lastWriteNanos >= idleNanos) {
      outbox.add(KEEP_ALIVE);
      scheduleDrain();
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  void close() {
    if (closed.compareAndSet(false, true)) {
      onClose.accept(this);
      outbox.clear();
      try {
        sink.close();
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "closing an event stream", e);
      }
    }
  }

  private void scheduleDrain() {
    if (draining.compareAndSet(false, true)) {
      senders.execute(this::drain);
    }
  }

  private void drain() {
    try {
      Object next;
      while (!closed.get() && (next = outbox.poll()) != null) {
        if (next instanceof LockEvent event) {
          buffered.decrementAndGet();
          send(frame(event));
        } else if (next instanceof Replayed replayed) {
          send(frame(replayed.event()));
        } else if (next == KEEP_ALIVE) {
          send(sse.newEventBuilder().comment("keep-alive").build());
        } else {
          send((OutboundSseEvent) next);
        }
      }
    } catch (RuntimeException e) {
      // The client went away (or its connection broke): nothing more can reach it.
      LOG.log(Level.FINE, "event stream write failed", e);
      close();
    } finally {
      draining.set(false);
    }
    // An offer may have slipped in between the last poll and clearing the flag.
    if (!closed.get() && !outbox.isEmpty()) {
      scheduleDrain();
    }
  }

  private OutboundSseEvent frame(LockEvent event) {
    return sse.newEventBuilder()
        .id(Long.toString(event.revision()))
        .name(event.kind().wireName())
        .data(event.dataJson())
        .build();
  }

  private void send(OutboundSseEvent event) {
    if (sink.isClosed()) {
      throw new IllegalStateException("event sink closed");
    }
    sink.send(event).toCompletableFuture().join();
    lastWriteNanos = System.nanoTime();
  }
}
