package dev.lockstep.it.support;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A session opened for a test, with the calls that act for it. */
public record TestSession(Api api, String id, String token) {

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
}
