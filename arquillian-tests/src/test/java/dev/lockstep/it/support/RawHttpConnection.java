package dev.lockstep.it.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 connection over a plain socket, for the tests where the bytes on the wire or the
 * connection itself are the subject: a client that goes away mid-wait, a keep-alive connection used
 * again after a wait, a request no HTTP client would write (a second Content-Type, invalid bytes),
 * an event stream left unread behind a small receive window. {@link HttpClient} pools connections
 * out of sight and writes only well-formed requests, so it can do none of these on purpose.
 */
public final class RawHttpConnection implements AutoCloseable {
  private final URI base;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawHttpConnection(URI base, Socket socket) throws IOException {
    this.base = base;
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Opens a connection to the API's server; {@code readTimeout} bounds every read of an answer. */
  public static RawHttpConnection open(Api api, Duration readTimeout) {
    return open(api.base(), readTimeout, 0);
  }

  /**
   * Opens a connection to {@code base}; {@code receiveBuffer} above zero asks for a small socket
   * receive buffer, set before connecting so that the TCP window stays small (zero keeps the
   * system's default).
   */
  public static RawHttpConnection open(URI base, Duration readTimeout, int receiveBuffer) {
    Socket socket = new Socket();
    try {
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
      socket.setSoTimeout((int) readTimeout.toMillis());
      return new RawHttpConnection(base, socket);
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException("cannot connect to " + base, e);
    }
  }

  /** Writes one request (keep-alive, the HTTP/1.1 default) and returns without reading. */
  public void send(String method, String path, String token, String body) {
    send(method, path, token, body, Duration.ZERO);
  }

  /**
   * Writes one request with a pause between its head and its body, as clients that write the
   * headers before the body do, so that the server reads them in two parts.
   */
  public void send(String method, String path, String token, String body, Duration pause) {
    send(method, path, token, body, pause, Map.of());
  }

  /** Writes one request with these extra headers, a pause between its head and its body. */
  public void send(
      String method,
      String path,
      String token,
      String body,
      Duration pause,
      Map<String, String> headers) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder()
            .append(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\n")
            .append("Host: ")
            .append(base.getHost())
            .append(':')
            .append(base.getPort())
            .append("\r\n");
    if (!headers.containsKey("Accept")) {
      head.append("Accept: application/json, application/problem+json\r\n");
    }
    if (token != null) {
      head.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Type: application/json\r\n");
    }
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
    try {
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      if (!pause.isZero()) {
        out.flush();
        Thread.sleep(pause.toMillis());
      }
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing " + method + " " + path, e);
    }
  }

  /** Reads the next answer on this connection, blocking up to the read timeout. */
  public Answer read() {
    try {
      Head head = readHead();
      byte[] body = head.body(in).readAllBytes();
      return new Answer(head.status(), head.headers(), new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("reading an answer from " + base, e);
    }
  }

  /**
   * Reads the head of the next answer and returns its body as a stream, read as the test reads it:
   * for an event stream that the test opens and deliberately leaves unread for a while.
   */
  public Streamed readStreamed() {
    try {
      Head head = readHead();
      return new Streamed(head.status(), head.headers(), head.body(in));
    } catch (IOException e) {
      throw new UncheckedIOException("reading an answer from " + base, e);
    }
  }

  /** How long a read of an answer may block from now on; zero for as long as the stream lasts. */
  public void readTimeout(Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code request} byte for byte (request line, headers, body: whatever the test built,
   * duplicate headers and raw bytes included) and reads the answer.
   */
  public Answer exchangeRaw(byte[] request) {
    sendRaw(request);
    return read();
  }

  /** Writes {@code request} byte for byte and returns without reading. */
  public void sendRaw(byte[] request) {
    try {
      out.write(request);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("raw request to " + base, e);
    }
  }

  /** Sends a request and reads its answer. */
  public Answer exchange(String method, String path, String token, String body) {
    send(method, path, token, body);
    return read();
  }

  /** Closes the connection: the server sees the client go away. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Head readHead() throws IOException {
    String statusLine = line(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP status line: " + statusLine);
    }
    Map<String, String> headers = new TreeMap<>();
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      headers.put(
          header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          header.substring(colon + 1).trim());
    }
    return new Head(Integer.parseInt(parts[1]), headers);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    if (b == -1 && line.size() == 0) {
      throw new EOFException("connection closed by the server");
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  private record Head(int status, Map<String, String> headers) {
    /** The body as sent: chunked (read as the caller reads), or of a Content-Length (read now). */
    InputStream body(InputStream in) throws IOException {
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        return new ChunkedInputStream(in);
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      return new ByteArrayInputStream(in.readNBytes(length));
    }
  }

  /** One answer: status, headers by lower-case name, body as text. */
  public record Answer(int status, Map<String, String> headers, String body) {}

  /** An answer whose body is still to be read: status, headers by lower-case name, body. */
  public record Streamed(int status, Map<String, String> headers, InputStream body) {}

  /**
   * The body of a {@code Transfer-Encoding: chunked} answer; its end is the zero-size chunk (its
   * trailers, none expected, are skipped), or the server closing the connection between chunks.
   */
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
        size = line(in);
        if (size.isEmpty()) {
          size = line(in); // the CRLF that ends the previous chunk's data
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
        try {
          while (!line(in).isEmpty()) {
            // trailers: none expected, skipped
          }
        } catch (EOFException e) {
          // closed right after the last chunk: nothing was left to read
        }
        return false;
      }
      return true;
    }
  }
}
