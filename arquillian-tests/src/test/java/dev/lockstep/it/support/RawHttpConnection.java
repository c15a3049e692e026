package dev.lockstep.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 connection over a plain socket, for the tests where the connection itself is the
 * subject: a client that goes away mid-wait, a keep-alive connection used again after a wait.
 * {@link java.net.http.HttpClient} pools connections out of sight, so it can do neither on purpose.
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
    URI base = api.base();
    Socket socket = new Socket();
    try {
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
            .append("\r\n")
            .append("Accept: application/json, application/problem+json\r\n");
    if (token != null) {
      head.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Type: application/json\r\n");
    }
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
      String statusLine = line();
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP status line: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      Map<String, String> headers = new TreeMap<>();
      for (String header = line(); !header.isEmpty(); header = line()) {
        int colon = header.indexOf(':');
        headers.put(
            header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            header.substring(colon + 1).trim());
      }
      byte[] body;
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        body = chunked();
      } else {
        body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
      }
      return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("reading an answer from " + base, e);
    }
  }

  /**
   * Writes {@code request} byte for byte (request line, headers, body: whatever the test built,
   * duplicate headers and raw bytes included) and reads the answer.
   */
  public Answer exchangeRaw(byte[] request) {
    try {
      out.write(request);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("raw request to " + base, e);
    }
    return read();
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

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      int semicolon = size.indexOf(';');
      int length = Integer.parseInt(semicolon < 0 ? size.trim() : size.substring(0, semicolon), 16);
      if (length == 0) {
        while (!line().isEmpty()) {
          // trailers: none expected, skipped
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(length));
      line(); // the CRLF after each chunk
    }
  }

  private String line() throws IOException {
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
      throw new IOException("connection closed by the server");
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** One answer: status, headers by lower-case name, body as text. */
  public record Answer(int status, Map<String, String> headers, String body) {}
}
