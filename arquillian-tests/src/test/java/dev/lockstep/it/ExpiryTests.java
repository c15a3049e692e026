package dev.lockstep.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.OpenedSessions;
import dev.lockstep.it.support.TestSession;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A session that stops keeping alive loses its locks one TTL after its last keep-alive, and with a
 * lock-delay nobody else gets them until the delay has passed too.
 */
abstract class ExpiryTests {
  private final Api api = Api.ofServerUnderTest();
  @RegisterExtension final OpenedSessions sessions = new OpenedSessions(api);

  @Test
  void expiry_ofHolderThatStopsKeepingAlive_grantsWaiterWithinTwoSeconds() {
    String lock = uniqueLock();
    // The waiter first: the holder's 1 s lease must not run out before it even acquires.
    TestSession waiter = open("PT30S", null);
    TestSession holder = open("PT1S", null);
    HttpResponse<String> held = holder.acquire(lock, "exclusive", "PT0S");
    assertEquals(200, held.statusCode(), held.body());
    long heldToken = Api.json(held).getJsonNumber("fencingToken").longValue();

    // The last sign of life: from here the holder's lease runs out in one TTL.
    long lastKeepAlive = System.nanoTime();
    assertEquals(200, holder.keepAlive().statusCode());
    HttpResponse<String> granted = waiter.acquire(lock, "exclusive", "PT10S");
    Duration sinceKeepAlive = Duration.ofNanos(System.nanoTime() - lastKeepAlive);

    assertEquals(200, granted.statusCode(), granted.body());
    assertTrue(
        sinceKeepAlive.compareTo(Duration.ofMillis(900)) >= 0,
        "granted " + sinceKeepAlive + " after the holder's keep-alive, before its TTL ran out");
    assertTrue(
        sinceKeepAlive.compareTo(Duration.ofSeconds(2)) <= 0,
        "granted only " + sinceKeepAlive + " after the holder's last keep-alive");
    JsonObject grant = Api.json(granted);
    assertEquals(waiter.id(), grant.getString("session"));
    assertTrue(grant.getJsonNumber("fencingToken").longValue() > heldToken);

    HttpResponse<String> expired = api.session(holder.id());
    assertEquals(404, expired.statusCode(), expired.body());
    assertTrue(Api.json(expired).getString("type").endsWith("/not-found"), expired.body());
    assertEquals(404, holder.keepAlive().statusCode(), "an expired session cannot be revived");
    assertEquals(List.of(waiter.id()), api.holders(lock));
    assertEquals(List.of(lock), waiter.locks());
  }

  @Test
  void expiry_withLockDelay_grantsWaiterOnlyAfterTheDelay() throws Exception {
    String lock = uniqueLock();
    TestSession waiter = open("PT30S", null);
    long created = System.nanoTime();
    TestSession holder = open("PT1S", "PT2S");
    assertEquals(200, holder.acquire(lock, "exclusive", "PT0S").statusCode());

    record Answered(HttpResponse<String> answer, long at) {}
    CompletableFuture<Answered> grant =
        CompletableFuture.supplyAsync(
            () -> new Answered(waiter.acquire(lock, "exclusive", "PT10S"), System.nanoTime()));
    await()
        .atMost(3, SECONDS)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> api.waiters(lock).equals(List.of(waiter.id())));
    await()
        .atMost(3, SECONDS)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> api.session(holder.id()).statusCode() == 404);
    long expired = System.nanoTime();
    // The expiry sweep (every 50 ms by default) then takes the lock from the dead holder.
    await()
        .atMost(1, SECONDS)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> api.holders(lock).isEmpty());
    // The holder is gone, yet its lock-delay keeps the lock from the waiter.
    assertFalse(grant.isDone(), "granted as soon as the holder expired, ignoring its lock-delay");
    assertEquals(List.of(waiter.id()), api.waiters(lock));

    Answered answered = grant.get(10, SECONDS);
    assertEquals(200, answered.answer().statusCode(), answered.answer().body());
    long granted = answered.at();
    Duration afterExpiry = Duration.ofNanos(granted - expired);
    assertTrue(
        afterExpiry.compareTo(Duration.ofMillis(1500)) >= 0,
        "granted " + afterExpiry + " after the holder expired, within its lock-delay of 2 s");
    Duration afterCreation = Duration.ofNanos(granted - created);
    assertTrue(
        afterCreation.compareTo(Duration.ofMillis(4500)) <= 0,
        "granted only " + afterCreation + " after the holder's creation (TTL 1 s + delay 2 s)");
    assertEquals(List.of(waiter.id()), api.holders(lock));
  }

  @Test
  void expiry_withLockDelay_showsBlockedUntilInTheViewAndTheDelayedListing_untilItPasses() {
    String lock = uniqueLock();
    TestSession holder = open("PT2S", "PT2S");
    assertEquals(200, holder.acquire(lock, "exclusive", "PT0S").statusCode());
    assertFalse(api.lock(lock).containsKey("blockedUntil"), "no lock-delay while held");
    Instant lastExpiry = Instant.parse(Api.json(holder.read()).getString("expiresAt"));

    await()
        .atMost(4, SECONDS)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> api.holders(lock).isEmpty());

    JsonObject view = api.lock(lock);
    assertEquals("free", view.getString("state"));
    assertEquals(lastExpiry.plusSeconds(2), Instant.parse(view.getString("blockedUntil")));
    String prefix = "?prefix=" + lock;
    assertEquals(List.of(), listedLocks(prefix), "by default only held or queued locks");
    assertEquals(List.of(lock), listedLocks(prefix + "&delayed=true"));

    await()
        .atMost(4, SECONDS)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !api.lock(lock).containsKey("blockedUntil"));
    assertEquals(List.of(), listedLocks(prefix + "&delayed=true"));
    assertEquals(400, api.get("/api/v1/locks?delayed=maybe").statusCode());
  }

  @Test
  void expiry_ofWaitingSession_endsItsWaitAndLeavesTheQueue() {
    String lock = uniqueLock();
    TestSession holder = open("PT30S", null);
    assertEquals(200, holder.acquire(lock, "exclusive", "PT0S").statusCode());
    TestSession lapsing = open("PT1S", null);

    long started = System.nanoTime();
    HttpResponse<String> refused = lapsing.acquire(lock, "exclusive", "PT10S");
    Duration waited = Duration.ofNanos(System.nanoTime() - started);

    // Its session ended after 1 s: the wait is dropped then, not when its own 10 s run out.
    assertEquals(409, refused.statusCode(), refused.body());
    assertTrue(
        waited.compareTo(Duration.ofSeconds(3)) <= 0,
        "the wait of an expired session lasted " + waited);
    assertEquals(List.of(), api.waiters(lock));
    assertEquals(404, api.session(lapsing.id()).statusCode());
    assertEquals(204, holder.release(lock).statusCode());
    assertEquals("free", api.lock(lock).getString("state"), "granted to an expired session");
  }

  private TestSession open(String ttl, String lockDelay) {
    return sessions.open(ttl, lockDelay);
  }

  private List<String> listedLocks(String query) {
    return Api.json(api.get("/api/v1/locks" + query)).getJsonArray("locks").stream()
        .map(l -> l.asJsonObject().getString("name"))
        .toList();
  }

  private static String uniqueLock() {
    return "it/expiry/" + UUID.randomUUID();
  }
}
