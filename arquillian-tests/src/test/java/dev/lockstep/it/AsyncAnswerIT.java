package dev.lockstep.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.GrantPolls;
import dev.lockstep.it.support.LockServerProcess;
import dev.lockstep.it.support.TestSession;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Waits answered by another request leave Weld's request contexts alone: a queued {@code PUT}
 * granted by a release, and grant-channel polls answered by one. Until the answers moved to the
 * resumer's threads, each such hand-off logged WELD-000714, WELD-000225 twice, WELD-000335 and
 * WELD-000715 on the releasing request's thread, before that request was answered; so once the
 * release is answered, a warning of the hand-off is in the log. A Payara Micro of its own on
 * it.port + 400, because the Arquillian-managed server's output is not readable from a test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncAnswerIT {
  /** The warnings of a request context started or ended on a thread that had another's. */
  private static final Pattern CONTEXT_WARNING =
      Pattern.compile("WELD-000(225|335|714|715)[^\\n]*");

  private static final int HAND_OFFS = 10;

  /** Polls of one session that may wait at once (GrantChannel.MAX_POLLS_PER_SESSION). */
  private static final int POLLS = 4;

  private LockServerProcess server;
  private Api api;

  @BeforeAll
  void startServer() {
    server =
        LockServerProcess.fromBuild("async-answer-it", Integer.getInteger("it.port", 18080) + 400);
    server.start();
    api = server.api();
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void log_carriesWeldsOwnLines() throws IOException {
    // Without this the other tests would pass on a log that Weld never writes to.
    assertTrue(
        Files.readString(server.log(), StandardCharsets.ISO_8859_1).contains("WELD-000900"),
        "Weld's version line is not in " + server.log());
  }

  @Test
  void queuedAcquire_grantedByARelease_leavesNoWeldContextWarning() throws Exception {
    TestSession holder = api.openSession("PT60S");
    TestSession waiter = api.openSession("PT60S");
    String lock = "async-answer/put";
    long from = Files.size(server.log());

    for (int round = 0; round < HAND_OFFS; round++) {
      assertEquals(200, holder.acquire(lock, null).statusCode());
      CompletableFuture<HttpResponse<String>> waiting =
          waiter.acquireAsync(lock, "{\"wait\":\"PT30S\"}");
      await().atMost(Duration.ofSeconds(20)).until(() -> api.waiters(lock).contains(waiter.id()));
      assertEquals(204, holder.release(lock).statusCode());
      HttpResponse<String> granted = waiting.get(20, TimeUnit.SECONDS);
      assertEquals(200, granted.statusCode(), granted.body());
      assertEquals(204, waiter.release(lock).statusCode());
    }

    assertEquals(List.of(), contextWarningsSince(from));
  }

  @Test
  void grantChannelPolls_answeredByARelease_leaveNoWeldContextWarning() throws Exception {
    TestSession holder = api.openSession("PT60S");
    TestSession waiter = api.openSession("PT60S");
    String lock = "async-answer/batch";
    long from = Files.size(server.log());
    long after = 0;

    for (int round = 0; round < HAND_OFFS; round++) {
      assertEquals(200, holder.acquire(lock, null).statusCode());
      HttpResponse<String> queued =
          api.send(
              "POST",
              "/api/v1/batch",
              waiter.token(),
              "{\"operations\":[{\"op\":\"acquire\",\"name\":\""
                  + lock
                  + "\",\"wait\":\"PT30S\",\"requestId\":\"r"
                  + round
                  + "\"}]}");
      assertEquals(202, Api.json(queued).getJsonArray("results").getJsonObject(0).getInt("status"));
      List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
      for (int p = 0; p < POLLS; p++) {
        polls.add(GrantPolls.pollAsync(api, waiter, after, "PT30S"));
      }
      // Then the release answers them all.
      GrantPolls.awaitAllWaiting(api, waiter, polls, after, "PT30S");
      assertEquals(204, holder.release(lock).statusCode());
      for (CompletableFuture<HttpResponse<String>> each : polls) {
        HttpResponse<String> answer = each.get(20, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.body());
        after = Api.json(answer).getInt("next");
      }
      assertEquals(round + 1, after, "one ending per round");
      assertEquals(204, waiter.release(lock).statusCode());
    }

    assertEquals(List.of(), contextWarningsSince(from));
  }

  /** The context warnings in the server's log after byte {@code from}. */
  private List<String> contextWarningsSince(long from) throws IOException {
    byte[] added;
    try (RandomAccessFile log = new RandomAccessFile(server.log().toFile(), "r")) {
      added = new byte[(int) (log.length() - from)];
      log.seek(from);
      log.readFully(added);
    }
    List<String> warnings = new ArrayList<>();
    Matcher matcher = CONTEXT_WARNING.matcher(new String(added, StandardCharsets.ISO_8859_1));
    while (matcher.find()) {
      warnings.add(matcher.group());
    }
    return warnings;
  }
}
