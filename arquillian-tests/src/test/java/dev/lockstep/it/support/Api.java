package dev.lockstep.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The lock server's HTTP API as the tests speak it: raw requests in, raw answers out, so that a
 * test asserts status codes, headers and JSON exactly as a client sees them.
 */
public final class Api {
  private final URI base;
  private final HttpClient http;

  public Api(URI base) {
    this.base = base;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** The server the Arquillian tests deploy to, on the port the pom gives. */
  public static Api ofServerUnderTest() {
    return new Api(URI.create("http://localhost:" + System.getProperty("it.port", "18080")));
  }

  public URI base() {
    return base;
  }

  /** A session with the given TTL (null for the server's default). */
  public TestSession openSession(String ttl) {
    String body = ttl == null ? "{}" : "{\"ttl\":\"" + ttl + "\"}";
    HttpResponse<String> answer = send("POST", "/api/v1/sessions", null, body);
    if (answer.statusCode() != 201) {
      throw new AssertionError("could not open a session: " + answer.statusCode() + " " + answer.body());
    }
    JsonObject json = json(answer);
    return new TestSession(this, json.getString("id"), json.getString("token"));
  }

  public HttpResponse<String> get(String path) {
    return send("GET", path, null, null);
  }

  public HttpResponse<String> send(String method, String path, String token, String body) {
    return send(method, path, token, body, Duration.ofSeconds(60));
  }

  public HttpResponse<String> send(String method, String path, String token, String body,
      Duration timeout) {
    return exchange(build(method, path, token, body, timeout));
  }

  /**
   * The same request as {@link #send}, answered later: for a PUT that waits in a lock's queue
   * while the test does something else.
   */
  public CompletableFuture<HttpResponse<String>> sendAsync(String method, String path,
      String token, String body, Duration timeout) {
    return http.sendAsync(build(method, path, token, body, timeout),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A request to {@code path} exactly as written. {@link URI#resolve} removes {@code .} and
   * {@code ..} segments, so a test that must send {@code a/../b} to the server builds it here.
   */
  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
  }

  /** Sends a request built by the test itself (odd headers, raw bytes, verbatim paths). */
  public HttpResponse<String> exchange(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted during " + request.method() + " " + request.uri(), e);
    }
  }

  private HttpRequest build(String method, String path, String token, String body,
      Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return request.build();
  }

  public static JsonObject json(HttpResponse<String> answer) {
    try (var reader = Json.createReader(new StringReader(answer.body()))) {
      return reader.readObject();
    }
  }
}
