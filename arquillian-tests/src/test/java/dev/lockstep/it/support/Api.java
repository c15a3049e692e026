package dev.lockstep.it.support;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
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
    this.http =
        HttpClient.newBuilder()
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
    return openSession(ttl, null);
  }

  /** A session with the given TTL and lock-delay (either null for the server's default). */
  public TestSession openSession(String ttl, String lockDelay) {
    StringBuilder body = new StringBuilder("{");
    if (ttl != null) {
      body.append("\"ttl\":\"").append(ttl).append('"');
    }
    if (lockDelay != null) {
      body.append(ttl == null ? "" : ",").append("\"lockDelay\":\"").append(lockDelay).append('"');
    }
    body.append('}');
    HttpResponse<String> answer = send("POST", "/api/v1/sessions", null, body.toString());
    if (answer.statusCode() != 201) {
      throw new AssertionError(
          "could not open a session: " + answer.statusCode() + " " + answer.body());
    }
    JsonObject json = json(answer);
    return new TestSession(this, json.getString("id"), json.getString("token"));
  }

  /** GET /api/v1/locks/{name}, which answers 200 for every well-formed name. */
  public JsonObject lock(String name) {
    HttpResponse<String> answer = get("/api/v1/locks/" + name);
    if (answer.statusCode() != 200) {
      throw new AssertionError(
          "could not read lock " + name + ": " + answer.statusCode() + " " + answer.body());
    }
    return json(answer);
  }

  /** The sessions holding the lock, in grant order. */
  public List<String> holders(String lock) {
    return sessionsOf(lock(lock).getJsonArray("holders"));
  }

  /** The sessions waiting for the lock, in queue order. */
  public List<String> waiters(String lock) {
    return sessionsOf(lock(lock).getJsonArray("waiters"));
  }

  /** GET /api/v1/sessions/{id}, raw: 200 with the view, 404 once it has ended. */
  public HttpResponse<String> session(String id) {
    return get("/api/v1/sessions/" + id);
  }

  private static List<String> sessionsOf(JsonArray entries) {
    return entries.getValuesAs(JsonObject.class).stream().map(e -> e.getString("session")).toList();
  }

  public HttpResponse<String> get(String path) {
    return send("GET", path, null, null);
  }

  public HttpResponse<String> send(String method, String path, String token, String body) {
    return send(method, path, token, body, Duration.ofSeconds(60));
  }

  public HttpResponse<String> send(
      String method, String path, String token, String body, Duration timeout) {
    return exchange(build(method, path, token, body, timeout));
  }

  /**
   * The same request as {@link #send}, answered later: for a PUT that waits in a lock's queue while
   * the test does something else.
   */
  public CompletableFuture<HttpResponse<String>> sendAsync(
      String method, String path, String token, String body, Duration timeout) {
    return http.sendAsync(
        build(method, path, token, body, timeout), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A request to {@code path} exactly as written. {@link URI#resolve} removes {@code .} and {@code
   * ..} segments, so a test that must send {@code a/../b} to the server builds it here.
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

  private HttpRequest build(
      String method, String path, String token, String body, Duration timeout) {
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
