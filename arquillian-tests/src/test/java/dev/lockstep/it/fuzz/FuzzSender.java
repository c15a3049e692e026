package dev.lockstep.it.fuzz;

import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.RawHttpConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Sends generated requests: with java.net.http where it can send them, else over a plain socket
 * (duplicate headers, control characters, raw UTF-8 in the request line). Event streams are read up
 * to their headers and closed at once; an abandoned poll is written and its connection closed.
 * Waits for an answer only {@link FuzzRequest#answerWithin()}, and then answers {@link Reply#none}:
 * a request the server left hanging is a failure to report, not one to wait out.
 */
public final class FuzzSender {
  private final Api api;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public FuzzSender(Api api) {
    this.api = api;
  }

  public Reply send(FuzzRequest request) {
    if (request.aim() instanceof Aim.AbandonedPoll) {
      try (RawHttpConnection connection = RawHttpConnection.open(api, request.answerWithin())) {
        connection.sendRaw(rawBytes(request));
      }
      return Reply.none("abandoned: closed without reading");
    }
    return request.raw() ? sendRaw(request) : sendWithClient(request);
  }

  private Reply sendWithClient(FuzzRequest request) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(api.base() + request.path()))
            .timeout(request.answerWithin())
            .method(
                request.method(),
                request.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    for (Map.Entry<String, String> header : request.headers()) {
      builder.header(header.getKey(), header.getValue());
    }
    try {
      HttpResponse<InputStream> answer =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
      Optional<String> type = answer.headers().firstValue("Content-Type");
      try (InputStream body = answer.body()) {
        if (type.orElse("").startsWith("text/event-stream")) {
          return new Reply(answer.statusCode(), type, "");
        }
        return new Reply(
            answer.statusCode(), type, new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (HttpTimeoutException e) {
      return Reply.none("no answer within " + request.answerWithin());
    } catch (IOException e) {
      throw new UncheckedIOException(request.describe(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + request.describe(), e);
    }
  }

  private Reply sendRaw(FuzzRequest request) {
    // A raw socket: invalid escapes, control characters and bodies on GET, which HttpClient
    // refuses.
    try (RawHttpConnection connection = RawHttpConnection.open(api, request.answerWithin())) {
      RawHttpConnection.Answer answer = connection.exchangeRaw(rawBytes(request));
      return new Reply(
          answer.status(),
          Optional.ofNullable(answer.headers().get("content-type")),
          answer.body());
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof SocketTimeoutException) {
        return Reply.none("no answer within " + request.answerWithin());
      }
      throw e;
    }
  }

  private byte[] rawBytes(FuzzRequest request) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] body = request.body() == null ? new byte[0] : request.body();
    StringBuilder head =
        new StringBuilder()
            .append(request.method())
            .append(' ')
            .append(request.path())
            .append(" HTTP/1.1\r\n")
            .append("Host: ")
            .append(api.base().getHost())
            .append(':')
            .append(api.base().getPort())
            .append("\r\nConnection: close\r\nContent-Length: ")
            .append(body.length)
            .append("\r\n");
    for (Map.Entry<String, String> header : request.headers()) {
      head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
    }
    bytes.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(body);
    return bytes.toByteArray();
  }
}
