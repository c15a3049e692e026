package dev.lockstep.cli;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The server's event stream from a given revision, resumed with {@code Last-Event-ID} after every
 * dropped connection, so that each event is handed on once and in order until the process ends.
 *
 * <p>Read here rather than through {@code LockClient.watch}: that watch starts at the revision of
 * the moment it is called, and {@code watch --since} must replay from an earlier one.
 */
final class EventFeed {
  private static final Jsonb JSONB = JsonbBuilder.create();
  private static final long LONGEST_BACKOFF_MILLIS = 5_000;

  private final WebTarget events;
  private final String prefix;
  private final PrintWriter err;
  private long lastRevision;

  /** A feed of the events under {@code prefix} after {@code revision}. */
  EventFeed(WebTarget events, String prefix, long revision, PrintWriter err) {
    this.events = events;
    this.prefix = prefix;
    this.lastRevision = revision;
    this.err = err;
  }

  /** Hands every event to {@code sink}; returns only when the thread is interrupted. */
  void run(Consumer<WatchEvent> sink) {
    long backoffMillis = 100;
    while (!Thread.currentThread().isInterrupted()) {
      Invocation.Builder request =
          events
              .queryParam("prefix", prefix)
              .request(MediaType.SERVER_SENT_EVENTS)
              .header("Last-Event-ID", Long.toString(lastRevision));
      try (Response answer = request.get()) {
        if (answer.getStatus() != 200) {
          throw new IOException("the event stream answered HTTP " + answer.getStatus());
        }
        backoffMillis = 100;
        read(answer.readEntity(InputStream.class), sink);
      } catch (IOException | ProcessingException e) {
        // Only a broken connection is resumed: an answer this client cannot read is a bug, and
        // reconnecting would read it again forever.
        err.println(
            "lockstep: event stream dropped ("
                + e.getMessage()
                + "); resuming after revision "
                + lastRevision);
      }
      try {
        Thread.sleep(backoffMillis); // a pause between reconnects, not a wait for a condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      backoffMillis = Math.min(LONGEST_BACKOFF_MILLIS, backoffMillis * 2);
    }
  }

  private void read(InputStream body, Consumer<WatchEvent> sink) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    String name = null;
    StringBuilder data = new StringBuilder();
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.isEmpty()) {
        if (data.length() > 0) {
          deliver(name == null ? "message" : name, data.toString(), sink);
        }
        name = null;
        data.setLength(0);
      } else if (line.startsWith("event:")) {
        name = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        if (data.length() > 0) {
          data.append('\n');
        }
        data.append(line.substring(5).stripLeading());
      }
      // "id:" repeats the data's revision; ":" lines are the server's keep-alive comments.
    }
    throw new IOException("the event stream ended");
  }

  private void deliver(String name, String data, Consumer<WatchEvent> sink) {
    WatchEvent event = JSONB.fromJson(data, WatchEvent.class).named(name);
    // The revision moves on before the line is handed out: a reconnect must not repeat it.
    lastRevision = event.revision();
    sink.accept(event);
  }
}
