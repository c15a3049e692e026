package dev.lockstep.it.support;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A session opened for a test, with the calls that act for it. */
public record TestSession(Api api, String id, String token) {

  /** The same session through another client, e.g. of a restarted server. */
  public TestSession on(Api other) {
    return new TestSession(other, id, token);
  }

  /** PUT /api/v1/locks/{name} with the given JSON body (null for none). */
  public HttpResponse<String> acquire(String lock, String body) {
    return api.send("PUT", "/api/v1/locks/" + lock, token, body);
  }

  public HttpResponse<String> acquire(String lock, String mode, String wait) {
    return acquire(lock, "{\"mode\":\"" + mode + "\",\"wait\":\"" + wait + "\"}");
  }

  /** PUT /api/v1/locks/{name} answered later, for a request that waits in the lock's queue. */
  public CompletableFuture<HttpResponse<String>> acquireAsync(String lock, String body) {
    return api.sendAsync("PUT", "/api/v1/locks/" + lock, token, body, Duration.ofSeconds(60));
  }

  public HttpResponse<String> release(String lock) {
    return api.send("DELETE", "/api/v1/locks/" + lock, token, null);
  }

  public HttpResponse<String> keepAlive() {
    return api.send("POST", "/api/v1/sessions/" + id + "/keepalive", token, null);
  }

  /** GET /api/v1/sessions/{id}: needs no token. */
  public HttpResponse<String> read() {
    return api.get("/api/v1/sessions/" + id);
  }

  public HttpResponse<String> close() {
    return api.send("DELETE", "/api/v1/sessions/" + id, token, null, Duration.ofSeconds(30));
  }

  /** The names of the locks this session holds, from GET /api/v1/sessions/{id}. */
  public List<String> locks() {
    HttpResponse<String> answer = api.session(id);
    if (answer.statusCode() != 200) {
      throw new AssertionError(
          "session " + id + " is gone: " + answer.statusCode() + " " + answer.body());
    }
    JsonObject view = Api.json(answer);
    return view.getJsonArray("locks").getValuesAs(JsonString.class).stream()
        .map(JsonString::getString)
        .toList();
  }

  /**
   * Ends the session if it still lives, for clean-up in {@code finally}: its locks go with it, so a
   * failed test does not leave them held on the shared server. Never throws.
   */
  public void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      // The server may be gone (a restart test) or the session expired: nothing left to free.
    }
  }
}
