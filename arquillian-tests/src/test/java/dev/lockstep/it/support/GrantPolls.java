package dev.lockstep.it.support;

import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Grant-channel polls that wait at the server while a test does something else. */
public final class GrantPolls {
  private GrantPolls() {}

  /** {@code GET /api/v1/sessions/{id}/grants?after=..&wait=..}, answered later. */
  public static CompletableFuture<HttpResponse<String>> pollAsync(
      Api api, TestSession session, long after, String wait) {
    return api.sendAsync(
        "GET",
        "/api/v1/sessions/" + session.id() + "/grants?after=" + after + "&wait=" + wait,
        session.token(),
        null,
        Duration.ofSeconds(60));
  }

  /**
   * Returns once every poll of {@code polls} (the session's maximum of them, all with {@code after}
   * and {@code wait}) waits at the server: only then is a poll that waits nothing refused {@code
   * 429}. That check holds a place for an instant, so one of {@code polls} that came just then is
   * refused, and is sent again here. A check that waited itself would keep the place of one of them
   * (and its wait would hold up the check).
   */
  public static void awaitAllWaiting(
      Api api,
      TestSession session,
      List<CompletableFuture<HttpResponse<String>>> polls,
      long after,
      String wait) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              for (int p = 0; p < polls.size(); p++) {
                if (polls.get(p).isDone() && polls.get(p).get().statusCode() == 429) {
                  polls.set(p, pollAsync(api, session, after, wait));
                }
              }
              return pollAsync(api, session, after, "PT0S").get().statusCode() == 429;
            });
  }
}
