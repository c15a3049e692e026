package dev.lockstep.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A client of {@code GET /api/v1/events} that shows the stream exactly as the server writes it:
 * every event and every comment becomes a {@link Frame}, in order, on a queue that the test reads
 * with a deadline.
 *
 * <p>It reads the stream line by line through the JDK's {@link HttpClient} rather than through
 * Jakarta REST's {@code SseEventSource}: that one reconnects by itself (a test that asserts a
 * dropped stream must see the drop) and swallows comment lines ({@code : keep-alive}), which the
 * tests assert. {@link #close()} cancels the body, which closes the connection at once: the server
 * sees the watcher go.
 */
public final class EventStream implements AutoCloseable {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

  /** One client for every stream: each open stream keeps a connection of its own. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** One thing the stream said: an event, a comment, or its end. */
  public sealed interface Frame permits Event, Comment, End {}

  /** An event: {@code id:}, {@code event:} and the {@code data:} lines joined by newlines. */
  public record Event(String id, String name, String data) implements Frame {
    /** The {@code id:}, which the server sets to the event's revision. */
    public long revision() {
      return Long.parseLong(id);
    }

    public JsonObject json() {
      try (var reader = Json.createReader(new StringReader(data))) {
        return reader.readObject();
      }
    }

    /** The {@code lock} field; empty for events that name none ({@code session-expired}). */
    public Optional<String> lock() {
      return Optional.ofNullable(json().getString("lock", null));
    }

    /** The {@code session} field; empty for events that name none ({@code reset}). */
    public Optional<String> session() {
      return Optional.ofNullable(json().getString("session", null));
    }
  }

  /** A comment line ({@code : keep-alive}), without the colon and the one space after it. */
  public record Comment(String text) implements Frame {}

  /** The server ended the stream, or reading it failed. */
  public record End(String why) implements Frame {}

  /** Where the lines come from, and how to stop them. */
  private interface Body {
    void start(EventStream stream);

    void close();
  }

  private final int status;
  private final Map<String, List<String>> headers;
  private final String errorBody;
  private final String target;
  private final Body body;
  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final List<String> rawLines = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean reading = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile boolean closed;

  // The parser's state: lines come from one thread at a time (the reader, or the client's
  // subscriber, which reactive streams call serially).
  private String id;
  private String name;
  private StringBuilder data;

  private EventStream(
      int status, Map<String, List<String>> headers, String errorBody, String target, Body body) {
    this.status = status;
    this.headers = headers;
    this.errorBody = errorBody;
    this.target = target;
    this.body = body;
  }

  /**
   * Opens {@code pathAndQuery} (say {@code /api/v1/events?prefix=jobs/}) and starts reading it.
   * Blocks until the answer's head has arrived; a non-200 answer is read whole and kept in {@link
   * #errorBody()}.
   */
  public static EventStream open(URI base, String pathAndQuery, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .header("Accept", "text/event-stream")
            .header("Cache-Control", "no-cache")
            .GET();
    headers.forEach(request::header);
    LineSubscriber lines = new LineSubscriber();
    CompletableFuture<EventStream> opened = new CompletableFuture<>();
    CompletableFuture<?> exchange =
        HTTP.sendAsync(request.build(), info -> answer(info, pathAndQuery, lines, opened));
    exchange.whenComplete(
        (done, failure) -> {
          if (failure != null) {
            opened.completeExceptionally(failure);
          }
        });
    try {
      return opened.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new UncheckedIOException(
          "GET " + pathAndQuery, new IOException(e.getCause().toString(), e.getCause()));
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new UncheckedIOException(
          "GET " + pathAndQuery, new IOException("no answer within " + ANSWER_TIMEOUT, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted opening " + pathAndQuery, e);
    }
  }

  public static EventStream open(URI base, String pathAndQuery) {
    return open(base, pathAndQuery, Map.of());
  }

  /**
   * Opens the stream and reads only the answer's head: the body stays unread (and the server's
   * writes pile up in the socket buffers) until {@link #startReading()}. {@code receiveBuffer}
   * above zero asks for a small socket receive buffer, set before connecting so that the TCP window
   * stays small; zero keeps the system's default.
   *
   * <p>A raw socket: a body nobody reads and a receive buffer set before connecting are bytes on
   * the wire that {@link HttpClient} keeps out of reach.
   */
  public static EventStream openPaused(
      URI base, String pathAndQuery, Map<String, String> headers, int receiveBuffer) {
    RawHttpConnection connection = RawHttpConnection.open(base, ANSWER_TIMEOUT, receiveBuffer);
    try {
      Map<String, String> asked = new LinkedHashMap<>(headers);
      asked.put("Accept", "text/event-stream");
      asked.put("Cache-Control", "no-cache");
      connection.send("GET", pathAndQuery, null, null, Duration.ZERO, asked);
      RawHttpConnection.Streamed answer = connection.readStreamed();
      Map<String, List<String>> answerHeaders = new TreeMap<>();
      answer.headers().forEach((header, value) -> answerHeaders.put(header, List.of(value)));
      if (answer.status() != 200) {
        String error = new String(answer.body().readAllBytes(), StandardCharsets.UTF_8);
        connection.close();
        return new EventStream(answer.status(), answerHeaders, error, pathAndQuery, null);
      }
      // From here on the reader thread waits as long as the stream stays open.
      connection.readTimeout(Duration.ZERO);
      return new EventStream(
          200, answerHeaders, null, pathAndQuery, new SocketBody(connection, answer.body()));
    } catch (IOException e) {
      connection.close();
      throw new UncheckedIOException("GET " + pathAndQuery, e);
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** Starts reading a stream opened with {@link #openPaused}; once only. */
  public void startReading() {
    if (status == 200 && reading.compareAndSet(false, true)) {
      body.start(this);
    }
  }

  public int status() {
    return status;
  }

  /** An answer header by its name in any case, if present. */
  public Optional<String> header(String header) {
    return HttpHeaders.of(headers, (n, v) -> true).firstValue(header);
  }

  /** The whole body of a non-200 answer (a problem document); empty for a stream. */
  public Optional<String> errorBody() {
    return Optional.ofNullable(errorBody);
  }

  /** The problem document of a non-200 answer. */
  public JsonObject errorJson() {
    try (var reader = Json.createReader(new StringReader(errorBody().orElseThrow()))) {
      return reader.readObject();
    }
  }

  /** The next frame of any kind, or an AssertionError when none comes within {@code timeout}. */
  public Frame next(Duration timeout) {
    return poll(timeout)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no frame within " + timeout + " on " + target + "; lines so far: " + tail()));
  }

  /** The next frame within {@code timeout}, if one comes. */
  public Optional<Frame> poll(Duration timeout) {
    try {
      return Optional.ofNullable(frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + target, e);
    }
  }

  /**
   * The next event, skipping comments, within {@code timeout} overall; an AssertionError when none
   * comes or the stream ends first.
   */
  public Event nextEvent(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Frame frame =
          poll(Duration.ofNanos(Math.max(0, left)))
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "no event within "
                              + timeout
                              + " on "
                              + target
                              + "; lines so far: "
                              + tail()));
      if (frame instanceof Event event) {
        return event;
      }
      if (frame instanceof End end) {
        throw new AssertionError(
            "stream " + target + " ended while an event was expected: " + end.why());
      }
    }
  }

  /** The next {@code count} events, skipping comments, within {@code timeout} overall. */
  public List<Event> nextEvents(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Event> events = new ArrayList<>(count);
    while (events.size() < count) {
      events.add(nextEvent(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
    }
    return events;
  }

  /**
   * Events until the first one that {@code last} accepts, that one included, skipping comments,
   * within {@code timeout} overall.
   */
  public List<Event> eventsThrough(Predicate<Event> last, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Event> events = new ArrayList<>();
    while (true) {
      Event event = nextEvent(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      events.add(event);
      if (last.test(event)) {
        return events;
      }
    }
  }

  /**
   * Every raw line read so far (without line ends): what the server wrote, blank lines included.
   */
  public List<String> rawLines() {
    synchronized (rawLines) {
      return List.copyOf(rawLines);
    }
  }

  /** Closes the connection; safe to call twice. */
  @Override
  public void close() {
    closed = true;
    if (body != null) {
      body.close();
    }
  }

  /** The handler of the answer's head: a stream to read line by line, or a problem to keep. */
  private static BodySubscriber<Void> answer(
      ResponseInfo info,
      String target,
      LineSubscriber lines,
      CompletableFuture<EventStream> opened) {
    Map<String, List<String>> headers = info.headers().map();
    if (info.statusCode() != 200) {
      return BodySubscribers.mapping(
          BodySubscribers.ofString(StandardCharsets.UTF_8),
          error -> {
            opened.complete(new EventStream(info.statusCode(), headers, error, target, null));
            return null;
          });
    }
    EventStream stream = new EventStream(200, headers, null, target, lines);
    stream.startReading();
    opened.complete(stream);
    // The event-stream format ends lines with CRLF, LF or CR alone, as this subscriber does.
    return BodySubscribers.fromLineSubscriber(lines, s -> null, StandardCharsets.UTF_8, null);
  }

  /** One line of the stream, as the event-stream format reads it. */
  private void line(String line) {
    rawLines.add(line);
    if (line.isEmpty()) {
      if (id != null || name != null || data != null) {
        frames.add(
            new Event(id, name == null ? "message" : name, data == null ? "" : data.toString()));
      }
      id = null;
      name = null;
      data = null;
    } else if (line.startsWith(":")) {
      frames.add(new Comment(line.startsWith(": ") ? line.substring(2) : line.substring(1)));
    } else {
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "id" -> id = value;
        case "event" -> name = value;
        case "data" ->
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> {} // retry and unknown fields: not used by this server
      }
    }
  }

  /** The stream's last frame, once only (a cancel and the client's end may both report it). */
  private void ended(Optional<Throwable> failure) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    frames.add(
        new End(
            failure
                .map(e -> closed ? "closed by the test" : "read failed: " + e)
                .orElse("end of stream")));
  }

  private String tail() {
    List<String> lines = rawLines();
    return lines.subList(Math.max(0, lines.size() - 12), lines.size()).toString();
  }

  /** The body as the JDK client delivers it, line by line; cancelling it closes the connection. */
  private static final class LineSubscriber implements Flow.Subscriber<String>, Body {
    private final CompletableFuture<EventStream> stream = new CompletableFuture<>();
    private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();

    @Override
    public void start(EventStream stream) {
      this.stream.complete(stream);
    }

    @Override
    public void close() {
      // A cancelled subscriber hears nothing more from the client: the end is told here.
      subscription.thenAccept(Flow.Subscription::cancel);
      stream.thenAccept(s -> s.ended(Optional.of(new IOException("closed"))));
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription.complete(subscription);
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      stream.join().line(line);
    }

    @Override
    public void onError(Throwable failure) {
      stream.join().ended(Optional.of(failure));
    }

    @Override
    public void onComplete() {
      stream.join().ended(Optional.empty());
    }
  }

  /** The body of a raw connection, read on a thread of its own once the test starts reading. */
  private record SocketBody(RawHttpConnection connection, InputStream in) implements Body {
    @Override
    public void start(EventStream stream) {
      Thread reader = new Thread(() -> read(stream), "sse-reader " + stream.target);
      reader.setDaemon(true);
      reader.start();
    }

    private void read(EventStream stream) {
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          stream.line(line);
        }
        stream.ended(Optional.empty());
      } catch (IOException | UncheckedIOException e) {
        stream.ended(Optional.of(e));
      } finally {
        connection.close();
      }
    }

    @Override
    public void close() {
      connection.close();
    }
  }
}
