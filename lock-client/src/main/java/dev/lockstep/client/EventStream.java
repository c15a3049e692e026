package dev.lockstep.client;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.LockEvent;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client's one event stream, shared by the cache and every watch. It reconnects on its own and
 * resumes with {@code Last-Event-ID}, so no event is missed or seen twice; when the server no
 * longer has the events it answers {@code reset} and listeners re-read.
 *
 * <p>Read here as text rather than through {@code SseEventSource}: the cache must know whether the
 * stream is alive, and only the raw stream shows the server's keep-alive comments and each
 * reconnect; {@code SseEventSource} hides both. A read timeout of three keep-alive intervals turns
 * a silently dead connection into a reconnect.
 */
final class EventStream implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EventStream.class.getName());
  private static final Jsonb JSONB = JsonbBuilder.create();

  /** What the stream tells its listeners, on the stream's own thread, in order. */
  interface Listener {
    /** Connected (again); events after {@code resumedAfter} follow. */
    default void connected(long resumedAfter) {}

    default void event(LockEvent event) {}

    /** The server no longer has the events after the last one seen: re-read the state. */
    default void reset(long revision) {}

    /** The connection broke; the stream is reconnecting. */
    default void disconnected() {}
  }

  /** The {@code data:} JSON of an event. */
  public record EventData(
      long revision,
      String lock,
      String session,
      String mode,
      Long fencingToken,
      Instant at,
      String owner) {}

  private final WebTarget events;
  private final String prefix;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private volatile boolean closed;
  private volatile InputStream open;
  private volatile long lastEventId;

  EventStream(WebTarget events, String prefix, long startAfter) {
    this.events = events;
    this.prefix = prefix;
    this.lastEventId = startAfter;
    this.reader = new Thread(this::run, "lockstep-event-stream");
    this.reader.setDaemon(true);
  }

  void addListener(Listener listener) {
    listeners.add(listener);
  }

  void start() {
    reader.start();
  }

  String prefix() {
    return prefix;
  }

  private void run() {
    long backoffMillis = 100;
    while (!closed) {
      // A negative lastEventId means "live from now": nothing to resume yet.
      var request = events.queryParam("prefix", prefix).request(MediaType.SERVER_SENT_EVENTS);
      if (lastEventId >= 0) {
        request = request.header("Last-Event-ID", Long.toString(lastEventId));
      }
      try (Response answer = request.get()) {
        if (answer.getStatus() != 200) {
          throw new IOException("event stream answered " + answer.getStatus());
        }
        InputStream body = answer.readEntity(InputStream.class);
        open = body;
        long resumedAfter = lastEventId;
        listeners.forEach(l -> l.connected(resumedAfter));
        backoffMillis = 100;
        read(body);
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          LOG.log(Level.FINE, "event stream broke; reconnecting", e);
        }
      } finally {
        open = null;
      }
      if (closed) {
        return;
      }
      listeners.forEach(Listener::disconnected);
      try {
        Thread.sleep(backoffMillis);
      } catch (InterruptedException e) {
        return;
      }
      backoffMillis = Math.min(5_000, backoffMillis * 2);
    }
  }

  private void read(InputStream body) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    String id = null;
    String name = null;
    StringBuilder data = new StringBuilder();
    String line;
    while ((line = lines.readLine()) != null) {
      if (closed) {
        return; // closed while this line was on its way: deliver nothing more
      }
      if (line.isEmpty()) {
        if (name != null || data.length() > 0) {
          dispatch(id, name == null ? "message" : name, data.toString());
        }
        id = null;
        name = null;
        data.setLength(0);
      } else if (line.startsWith(":")) {
        continue; // a keep-alive comment: the connection is alive
      } else if (line.startsWith("id:")) {
        id = line.substring(3).trim();
      } else if (line.startsWith("event:")) {
        name = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        if (data.length() > 0) {
          data.append('\n');
        }
        data.append(line.substring(5).stripLeading());
      }
    }
    throw new IOException("event stream ended");
  }

  private void dispatch(String id, String name, String data) {
    if (closed) {
      return;
    }
    if ("reset".equals(name)) {
      long revision = JSONB.fromJson(data, EventData.class).revision();
      lastEventId = revision;
      listeners.forEach(l -> l.reset(revision));
      return;
    }
    EventKind kind = kindOf(name);
    if (kind == null) {
      return; // an event kind this client does not know: newer server
    }
    EventData d = JSONB.fromJson(data, EventData.class);
    LockEvent event =
        new LockEvent(
            d.revision(),
            kind,
            d.lock(),
            d.session(),
            d.mode(),
            d.fencingToken(),
            d.at(),
            d.owner());
    if (id != null) {
      lastEventId = Long.parseLong(id);
    }
    for (Listener listener : listeners) {
      try {
        listener.event(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "event listener failed", e);
      }
    }
  }

  private static EventKind kindOf(String name) {
    for (EventKind kind : EventKind.values()) {
      if (kind.wireName().equals(name)) {
        return kind;
      }
    }
    return null;
  }

  /**
   * Stops the stream: no listener is called after this returns. Does not block: the connection is
   * closed on a thread of its own, because closing it here would wait for the reader. The JDK's
   * chunked HTTP stream (under Jersey's default connector) takes one lock for read and close, and
   * the reader holds it until the next byte arrives, a server keep-alive up to 10 s away (seen:
   * {@code LockClient.close()} blocked 13 to 40 s). The connection ends at that next byte.
   */
  @Override
  public void close() {
    closed = true;
    reader.interrupt();
    InputStream body = open;
    if (body != null) {
      Thread closer =
          new Thread(
              () -> {
                try {
                  body.close();
                } catch (IOException | RuntimeException e) {
                  LOG.log(Level.FINE, "closing the event stream", e);
                }
              },
              "lockstep-event-stream-close");
      closer.setDaemon(true);
      closer.start();
    }
  }
}
