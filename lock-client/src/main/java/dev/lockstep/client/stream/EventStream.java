package dev.lockstep.client.stream;

import dev.lockstep.api.EventKind;
import dev.lockstep.api.LockEvent;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.sse.InboundSseEvent;
import jakarta.ws.rs.sse.SseEventSource;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client's one event stream, shared by the cache and every watch, read with Jakarta REST's
 * {@link SseEventSource}. It reconnects on its own and resumes with {@code Last-Event-ID}, so no
 * event is missed or seen twice; when the server no longer has the events it answers {@code reset}
 * (whose id is the revision to go on from) and listeners re-read.
 *
 * <p>What {@code SseEventSource} does not do is added around it, each for a reason: a request
 * filter sends the first {@code Last-Event-ID} (the source sends only ids it has read) and sees
 * each reconnect (the stream broke); a response filter sees each connection made; and a source that
 * gave up is replaced by a new one after a back-off (a failed connect, say while the server
 * restarts, ends Jersey's source for good, with {@code onComplete}, and {@code onError} since
 * Jersey 3.1.8). The stream has a client of its own: its reads time out after three server
 * keep-alive intervals (a silently dead connection becomes a reconnect), and its threads are its
 * own, so that closing never waits for a reader blocked until the server's next keep-alive
 * (Jersey's own pool waits up to 5 s for its threads on close). From plain Java it needs {@code
 * jersey-media-sse} (or another implementation of {@code SseEventSource}) at run time.
 */
public final class EventStream implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EventStream.class.getName());
  private static final Jsonb JSONB = JsonbBuilder.create();
  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final long LAST_BACKOFF_MILLIS = 5_000;

  /** The {@code data:} JSON of an event; public because JSON-B binds only public types. */
  public record EventData(
      long revision,
      String lock,
      String session,
      String mode,
      Long fencingToken,
      Instant at,
      String owner) {}

  private final List<StreamListener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService readers = Executors.newCachedThreadPool(daemon("reader"));
  private final ScheduledExecutorService reconnects =
      Executors.newSingleThreadScheduledExecutor(daemon("reconnect"));
  private final Client client;
  private final Supplier<URI> events;
  private final Consumer<URI> unanswered;
  private final String prefix;
  private volatile boolean closed;
  private volatile boolean connected;

  /** The revision events were delivered up to; negative: live from the first connect. */
  private volatile long lastDelivered;

  private long backoffMillis = FIRST_BACKOFF_MILLIS;
  private SseEventSource source; // guarded by this

  /**
   * A stream of the events under {@code prefix} after revision {@code startAfter} (negative: from
   * when it connects), read from {@code events} by a client built from {@code http}, which brings
   * the connect timeout and the user's providers.
   */
  public EventStream(ClientBuilder http, URI events, String prefix, long startAfter) {
    this(http, () -> events, url -> {}, prefix, startAfter);
  }

  /**
   * As above, with the stream's URL asked again at each (re)connect, those the event source makes
   * on its own too: a client of an active/standby group reads the stream from the server its calls
   * go to now, and resumes there with {@code Last-Event-ID} (the group shares one history). {@code
   * unanswered} is told the URL when a connection to it failed or a server answered 503 (a
   * standby), so that the group moves on even for a client that makes no other call.
   */
  public EventStream(
      ClientBuilder http,
      Supplier<URI> events,
      Consumer<URI> unanswered,
      String prefix,
      long startAfter) {
    this.client =
        http.readTimeout(30, TimeUnit.SECONDS)
            .executorService(readers)
            .scheduledExecutorService(reconnects)
            .build();
    this.events = events;
    this.unanswered = unanswered;
    this.prefix = prefix;
    this.lastDelivered = startAfter;
  }

  public void addListener(StreamListener listener) {
    listeners.add(listener);
  }

  /** Starts reading in the background; returns at once. */
  public void start() {
    reconnects.execute(this::open);
  }

  public String prefix() {
    return prefix;
  }

  private void open() {
    SseEventSource opening;
    URI opened = events.get();
    synchronized (this) {
      if (closed) {
        return;
      }
      opening =
          SseEventSource.target(
                  client.target(opened).queryParam("prefix", prefix).register(new Handshake()))
              .reconnectingEvery(FIRST_BACKOFF_MILLIS, TimeUnit.MILLISECONDS)
              .build();
      source = opening;
    }
    opening.register(
        this::deliver,
        e -> {
          unanswered.accept(opened);
          ended(opening, e);
        },
        () -> ended(opening, null));
    try {
      opening.open(); // blocks until the first answer (or failure), on this stream's own thread
    } catch (IllegalStateException e) {
      LOG.log(Level.FINE, "event stream closed while opening", e); // close() came first
    }
  }

  /** The source gave up (error) or completed without being closed: open a new one, later. */
  private void ended(SseEventSource which, Throwable error) {
    long delay;
    synchronized (this) {
      if (closed || source != which) {
        return; // closed on purpose, or already replaced (onError and onComplete both come)
      }
      source = null;
      delay = backoffMillis;
      backoffMillis = Math.min(LAST_BACKOFF_MILLIS, backoffMillis * 2);
    }
    LOG.log(Level.FINE, "event stream ended; opening it again", error);
    lostConnection();
    try {
      reconnects.schedule(this::open, delay, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "event stream closed while reopening", e);
    }
  }

  private void lostConnection() {
    if (connected && !closed) {
      connected = false;
      listeners.forEach(StreamListener::disconnected);
    }
  }

  private void deliver(InboundSseEvent received) {
    String name = received.getName();
    if (closed || name == null) {
      return; // closed while this event was on its way, or a keep-alive comment
    }
    if ("reset".equals(name)) {
      long revision = JSONB.fromJson(received.readData(), EventData.class).revision();
      lastDelivered = revision;
      listeners.forEach(l -> l.reset(revision));
      return;
    }
    Optional<EventKind> kind =
        Arrays.stream(EventKind.values()).filter(k -> k.wireName().equals(name)).findFirst();
    if (kind.isEmpty()) {
      return; // an event kind this client does not know: newer server
    }
    EventData d = JSONB.fromJson(received.readData(), EventData.class);
    if (d.revision() <= lastDelivered) {
      return; // a replacement source resumed from an older id than the last event delivered
    }
    lastDelivered = d.revision();
    LockEvent event =
        new LockEvent(
            d.revision(),
            kind.get(),
            d.lock(),
            d.session(),
            d.mode(),
            d.fencingToken(),
            d.at(),
            d.owner());
    for (StreamListener listener : listeners) {
      try {
        listener.event(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "event listener failed", e);
      }
    }
  }

  /** Sees each (re)connect of the source, and the answer to it. */
  private final class Handshake implements ClientRequestFilter, ClientResponseFilter {
    @Override
    public void filter(ClientRequestContext request) {
      lostConnection(); // a request while connected: the source is reconnecting
      URI now = events.get();
      URI sent = request.getUri();
      if (!now.getAuthority().equals(sent.getAuthority())) {
        // The source reconnects to the server it opened with; the calls moved on to another.
        request.setUri(
            UriBuilder.fromUri(sent)
                .scheme(now.getScheme())
                .host(now.getHost())
                .port(now.getPort())
                .build());
      }
      long after = lastDelivered;
      // SseEventSource sends no Last-Event-ID until it has read an event itself: add ours.
      if (after >= 0 && !request.getHeaders().containsKey(HttpHeaders.LAST_EVENT_ID_HEADER)) {
        request.getHeaders().putSingle(HttpHeaders.LAST_EVENT_ID_HEADER, Long.toString(after));
      }
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
      if (response.getStatus() == 503) {
        unanswered.accept(request.getUri()); // a standby, or a server not serving yet
      }
      if (response.getStatus() == 200 && !closed) {
        synchronized (EventStream.this) {
          backoffMillis = FIRST_BACKOFF_MILLIS;
        }
        connected = true;
        listeners.forEach(StreamListener::connected);
      }
    }
  }

  /**
   * Stops the stream: no listener is called after this returns. Does not block: a reader blocked
   * until the server's next keep-alive (up to 10 s away) ends then, on its own daemon thread.
   */
  @Override
  public void close() {
    SseEventSource open;
    synchronized (this) {
      closed = true;
      open = source;
      source = null;
    }
    if (open != null) {
      open.close(0, TimeUnit.MILLISECONDS);
    }
    reconnects.shutdownNow();
    readers.shutdownNow();
    client.close();
  }

  private static ThreadFactory daemon(String role) {
    return r -> {
      Thread t = new Thread(r, "lockstep-event-stream-" + role);
      t.setDaemon(true);
      return t;
    };
  }
}
