package dev.lockstep.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client of {@code GET /api/v1/events} that shows the stream exactly as the server writes it:
 * every event and every comment becomes a {@link Frame}, in order, on a queue that the test reads
 * with a deadline.
 *
 * <p>It speaks HTTP/1.1 over a raw socket rather than through {@code HttpClient}: then {@link
 * #close()} is a FIN that the server sees at once (no connection pool keeps the socket), a test can
 * open a stream and deliberately not read it ({@link #openPaused}), and comment lines, which an SSE
 * library would swallow, stay visible.
 */
public final class EventStream implements AutoCloseable {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

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

    /** The {@code lock} field, or null for events that name none ({@code session-expired}). */
    public String lock() {
      JsonObject json = json();
      return json.containsKey("lock") ? json.getString("lock") : null;
    }

    /** The {@code session} field, or null for events that name none ({@code reset}). */
    public String session() {
      return json().getString("session", null);
    }
  }

  /** A comment line ({@code : keep-alive}), without the colon and the one space after it. */
  public record Comment(String text) implements Frame {}

  /** The server ended the stream (chunked terminator or EOF), or reading it failed. */
  public record End(String why) implements Frame {}

  private final Socket socket;
  private final InputStream in;
  private final int status;
  private final Map<String, String> headers;
  private final String errorBody;
  private final String target;
  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final List<String> rawLines = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean reading = new AtomicBoolean();
  private volatile boolean closed;

  private EventStream(
      Socket socket,
      InputStream in,
      int status,
      Map<String, String> headers,
      String errorBody,
      String target) {
    this.socket = socket;
    this.in = in;
    this.status = status;
    this.headers = headers;
    this.errorBody = errorBody;
    this.target = target;
  }

  /**
   * Opens {@code pathAndQuery} (say {@code /api/v1/events?prefix=jobs/}) and starts reading it on a
   * background thread. Blocks until the answer's head has arrived; a non-200 answer is read whole
   * and kept in {@link #errorBody()}.
   */
  public static EventStream open(URI base, String pathAndQuery, Map<String, String> headers) {
    EventStream stream = openPaused(base, pathAndQuery, headers, 0);
    stream.startReading();
    return stream;
  }

  public static EventStream open(URI base, String pathAndQuery) {
    return open(base, pathAndQuery, Map.of());
  }

  /**
   * Opens the stream and reads only the answer's head: the body stays unread (and the server's
   * writes pile up in the socket buffers) until {@link #startReading()}. {@code receiveBuffer}
   * above zero asks for a small socket receive buffer, set before connecting so that the TCP window
   * stays small; zero keeps the system's default.
   */
  public static EventStream openPaused(
      URI base, String pathAndQuery, Map<String, String> headers, int receiveBuffer) {
    Socket socket = new Socket();
    try {
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
      socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
      StringBuilder request =
          new StringBuilder()
              .append("GET ")
              .append(pathAndQuery)
              .append(" HTTP/1.1\r\n")
              .append("Host: ")
              .append(base.getHost())
              .append(':')
              .append(base.getPort())
              .append("\r\n")
              .append("Accept: text/event-stream\r\n")
              .append("Cache-Control: no-cache\r\n");
      headers.forEach(
          (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      request.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();

      InputStream raw = new BufferedInputStream(socket.getInputStream());
      String statusLine = asciiLine(raw);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP answer: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      Map<String, String> answerHeaders = new LinkedHashMap<>();
      for (String line = asciiLine(raw); !line.isEmpty(); line = asciiLine(raw)) {
        int colon = line.indexOf(':');
        answerHeaders.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
      InputStream body =
          "chunked".equalsIgnoreCase(answerHeaders.get("transfer-encoding"))
              ? new ChunkedInputStream(raw)
              : raw;
      String errorBody = null;
      if (status != 200) {
        errorBody = new String(readBody(body, answerHeaders), StandardCharsets.UTF_8);
        socket.close();
      } else {
        // From here on the reader thread waits as long as the stream stays open.
        socket.setSoTimeout(0);
      }
      return new EventStream(socket, body, status, answerHeaders, errorBody, pathAndQuery);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new UncheckedIOException("GET " + pathAndQuery, e);
    }
  }

  /** Starts the background reader of a stream opened with {@link #openPaused}; once only. */
  public void startReading() {
    if (status != 200 || !reading.compareAndSet(false, true)) {
      return;
    }
    Thread reader = new Thread(this::readFrames, "sse-reader " + target);
    reader.setDaemon(true);
    reader.start();
  }

  public int status() {
    return status;
  }

  /** An answer header by its name in any case, if present. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The whole body of a non-200 answer (a problem document), else null. */
  public String errorBody() {
    return errorBody;
  }

  public JsonObject errorJson() {
    try (var reader = Json.createReader(new StringReader(errorBody))) {
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
  public List<Event> eventsThrough(java.util.function.Predicate<Event> last, Duration timeout) {
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
    closeQuietly(socket);
  }

  private void readFrames() {
    String id = null;
    String name = null;
    StringBuilder data = null;
    try {
      LineReader lines = new LineReader(in);
      for (String line = lines.next(); line != null; line = lines.next()) {
        rawLines.add(line);
        if (line.isEmpty()) {
          if (id != null || name != null || data != null) {
            frames.add(
                new Event(
                    id, name == null ? "message" : name, data == null ? "" : data.toString()));
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
      frames.add(new End("end of stream"));
    } catch (IOException e) {
      frames.add(new End(closed ? "closed by the test" : "read failed: " + e));
    } finally {
      closeQuietly(socket);
    }
  }

  private String tail() {
    List<String> lines = rawLines();
    return lines.subList(Math.max(0, lines.size() - 12), lines.size()).toString();
  }

  private static byte[] readBody(InputStream body, Map<String, String> headers) throws IOException {
    String length = headers.get("content-length");
    if (length != null) {
      return body.readNBytes(Integer.parseInt(length));
    }
    return body.readAllBytes();
  }

  private static String asciiLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in the middle of the answer's head");
      }
      if (b == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      line.append((char) b);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** SSE lines: ended by CRLF, LF or CR alone, as the event-stream format allows; UTF-8. */
  private static final class LineReader {
    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private boolean afterCr;

    LineReader(InputStream in) {
      this.in = in;
    }

    /** The next line, or null at the end of the stream. */
    String next() throws IOException {
      while (true) {
        int b = in.read();
        if (b < 0) {
          return null; // an unterminated last line is not a line in SSE
        }
        if (afterCr) {
          afterCr = false;
          if (b == '\n') {
            continue;
          }
        }
        if (b == '\r' || b == '\n') {
          afterCr = b == '\r';
          String text = line.toString(StandardCharsets.UTF_8);
          line.reset();
          return text;
        }
        line.write(b);
      }
    }
  }

  /** The body of a {@code Transfer-Encoding: chunked} answer; its end is the zero-size chunk. */
  private static final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long leftInChunk;
    private boolean done;

    ChunkedInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      if (!ensureChunk()) {
        return -1;
      }
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed inside a chunk");
      }
      leftInChunk--;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (!ensureChunk()) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, leftInChunk));
      if (n < 0) {
        throw new EOFException("connection closed inside a chunk");
      }
      leftInChunk -= n;
      return n;
    }

    private boolean ensureChunk() throws IOException {
      if (done) {
        return false;
      }
      if (leftInChunk > 0) {
        return true;
      }
      String size;
      try {
        size = asciiLine(in);
        if (size.isEmpty()) {
          size = asciiLine(in); // the CRLF that ends the previous chunk's data
        }
      } catch (EOFException e) {
        // The server closed the connection between chunks: the stream ended without a terminator.
        done = true;
        return false;
      }
      int semicolon = size.indexOf(';');
      leftInChunk =
          Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (leftInChunk == 0) {
        done = true;
        return false;
      }
      return true;
    }
  }
}
