package dev.lockstep.it.support;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server CPU per lock operation, single calls against batches, in the way of the team's transport
 * probe ({@code shared/probe/load/Load.java}): raw keep-alive sockets, a session and a lock name
 * per thread, and the server's CPU time from {@code /proc/PID/stat} over the measured window after
 * a warm-up. Not a test: run it by hand against a running server (see the README's Batches).
 *
 * <pre>
 * java arquillian-tests/src/test/java/dev/lockstep/it/support/BatchLoad.java \
 *     single|batch PORT THREADS WARM_S MEASURE_S SERVER_PID [PAIRS]
 * </pre>
 *
 * {@code single}: PUT then DELETE per cycle; {@code batch}: one POST /api/v1/batch of PAIRS (32)
 * acquire+release pairs per request. Prints operations per second and server CPU per operation (an
 * acquire or a release) and per request.
 */
public final class BatchLoad {
  private static final AtomicLong RECONNECTS = new AtomicLong();

  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  private String token;
  private String body = "";

  private BatchLoad(int port) throws IOException {
    this.port = port;
    open();
    String open = "{\"ttl\":\"PT1H\"}";
    send("POST /api/v1/sessions", open, 201);
    int i = body.indexOf("\"token\":\"");
    token = body.substring(i + 9, body.indexOf('"', i + 9));
  }

  private void open() throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    out = new BufferedOutputStream(socket.getOutputStream());
    in = new BufferedInputStream(socket.getInputStream());
  }

  private void single(String name) throws IOException {
    send("PUT /api/v1/locks/" + name + "0", "{\"mode\":\"exclusive\"}", 200);
    send("DELETE /api/v1/locks/" + name + "0", null, 204);
  }

  private void batch(String name, int pairs) throws IOException {
    StringBuilder b = new StringBuilder("{\"operations\":[");
    for (int i = 0; i < pairs; i++) {
      b.append(i == 0 ? "" : ",");
      b.append("{\"op\":\"acquire\",\"name\":\"").append(name).append(i).append("\"},");
      b.append("{\"op\":\"release\",\"name\":\"").append(name).append(i).append("\"}");
    }
    send("POST /api/v1/batch", b.append("]}").toString(), 200);
    if (body.contains("\"problem\"")) {
      throw new IOException("an operation was refused: " + body);
    }
  }

  private void send(String line, String content, int want) throws IOException {
    StringBuilder request = new StringBuilder(line).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (token != null) {
      request.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    byte[] bytes = content == null ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
    if (content != null) {
      request.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length);
      request.append("\r\n");
    }
    out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
    read(want);
  }

  private void read(int want) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    if (c < 0) {
      throw new EOFException();
    }
    String h = head.toString();
    int code = Integer.parseInt(h.substring(9, 12));
    String lower = h.toLowerCase(Locale.ROOT);
    int i = lower.indexOf("content-length:");
    body = "";
    if (i >= 0) {
      int n = Integer.parseInt(lower.substring(i + 15, lower.indexOf('\r', i)).trim());
      body = new String(in.readNBytes(n), StandardCharsets.UTF_8);
    } else if (lower.contains("transfer-encoding: chunked")) {
      StringBuilder chunks = new StringBuilder();
      for (int n = Integer.parseInt(line().trim(), 16);
          n > 0;
          n = Integer.parseInt(line().trim(), 16)) {
        chunks.append(new String(in.readNBytes(n), StandardCharsets.UTF_8));
        line();
      }
      line();
      body = chunks.toString();
    }
    if (code != want) {
      throw new IOException("status " + code + ": " + h + body);
    }
    if (lower.contains("connection: close")) {
      socket.close();
      RECONNECTS.incrementAndGet();
      open();
    }
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException();
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  private static long cpuTicks(String pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime, in 10 ms ticks
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int port = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    int warm = Integer.parseInt(args[3]);
    int measure = Integer.parseInt(args[4]);
    String pid = args[5];
    int pairs = args.length > 6 ? Integer.parseInt(args[6]) : 32;
    AtomicLong operations = new AtomicLong();
    AtomicLong requests = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean counting = new AtomicBoolean();
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String name = "load/" + mode + "/" + t + "/";
      BatchLoad client = new BatchLoad(port);
      Thread thread =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    if (mode.equals("batch")) {
                      client.batch(name, pairs);
                      if (counting.get()) {
                        operations.addAndGet(2L * pairs);
                        requests.incrementAndGet();
                      }
                    } else {
                      client.single(name);
                      if (counting.get()) {
                        operations.addAndGet(2);
                        requests.addAndGet(2);
                      }
                    }
                  }
                } catch (IOException e) {
                  e.printStackTrace();
                  System.exit(1);
                }
              });
      thread.start();
      started.add(thread);
    }
    Thread.sleep(warm * 1000L);
    long cpu0 = cpuTicks(pid);
    long t0 = System.nanoTime();
    counting.set(true);
    Thread.sleep(measure * 1000L);
    counting.set(false);
    long t1 = System.nanoTime();
    long cpu1 = cpuTicks(pid);
    stop.set(true);
    for (Thread thread : started) {
      thread.join(2000);
    }
    double seconds = (t1 - t0) / 1e9;
    double cpuMicros = (cpu1 - cpu0) * 10_000.0;
    System.out.printf(
        Locale.ROOT,
        "MODE %s threads=%d pairs=%d operations/s=%.0f requests/s=%.0f"
            + " server_cpu_us_per_operation=%.1f server_cpu_us_per_request=%.1f reconnects=%d%n",
        mode,
        threads,
        mode.equals("batch") ? pairs : 1,
        operations.get() / seconds,
        requests.get() / seconds,
        cpuMicros / operations.get(),
        cpuMicros / requests.get(),
        RECONNECTS.get());
    System.exit(0);
  }
}
