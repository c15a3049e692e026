package dev.lockstep.it.support;

import java.net.http.HttpResponse;
import java.time.Duration;

/** A session opened for a test, with the calls that act for it. */
public record TestSession(Api api, String id, String token) {

  /** PUT /api/v1/locks/{name} with the given JSON body (null for none). */
  public HttpResponse<String> acquire(String lock, String body) {
    return api.send("PUT", "/api/v1/locks/" + lock, token, body);
  }

  public HttpResponse<String> acquire(String lock, String mode, String wait) {
    return acquire(lock, "{\"mode\":\"" + mode + "\",\"wait\":\"" + wait + "\"}");
  }

  public HttpResponse<String> release(String lock) {
    return api.send("DELETE", "/api/v1/locks/" + lock, token, null);
  }

  public HttpResponse<String> keepAlive() {
    return api.send("POST", "/api/v1/sessions/" + id + "/keepalive", token, null);
  }

  public HttpResponse<String> close() {
    return api.send("DELETE", "/api/v1/sessions/" + id, token, null, Duration.ofSeconds(30));
  }
}
