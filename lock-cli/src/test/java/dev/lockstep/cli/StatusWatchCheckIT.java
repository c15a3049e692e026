package dev.lockstep.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.cli.support.Cli;
import dev.lockstep.cli.support.Cli.Finished;
import dev.lockstep.cli.support.Cli.Running;
import dev.lockstep.cli.support.LockServerExtension;
import dev.lockstep.client.LockClient;
import dev.lockstep.client.LockClientConfig;
import dev.lockstep.client.LockHandle;
import dev.lockstep.client.ServerLauncher.LockServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep status}, {@code watch} and {@code check}, run as child processes. */
@ExtendWith(LockServerExtension.class)
class StatusWatchCheckIT {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private URI url;
  private Cli cli;
  private LockClient holder;
  private LockClient waiter;

  @BeforeEach
  void setUp(LockServer server) {
    url = server.url();
    cli = new Cli(url, dir);
    holder = client("test-holder", "test-owner");
    waiter = client("test-waiter", "waiting-owner");
  }

  @AfterEach
  void tearDown() {
    holder.close();
    waiter.close();
  }

  @Test
  void status_showsHoldersAndWaitersWithSessionNames_asJsonAndAsTable() throws IOException {
    LockHandle held = holder.tryAcquire("st/a", Duration.ZERO).orElseThrow();
    CompletableFuture<Optional<LockHandle>> queued =
        CompletableFuture.supplyAsync(() -> waiter.tryAcquire("st/a", Duration.ofSeconds(30)));
    await().atMost(PATIENCE).until(() -> holder.status("st/a").waiters().size() == 1);

    Finished json = cli.run("status", "st/", "--json");
    assertEquals(0, json.exit(), json.err());
    JsonObject document = parse(json.out());
    JsonObject lock = document.getJsonArray("locks").getJsonObject(0);
    assertEquals(1, document.getJsonArray("locks").size());
    assertEquals("st/a", lock.getString("name"));
    assertEquals("exclusive", lock.getString("mode"));
    JsonObject holderJson = lock.getJsonArray("holders").getJsonObject(0);
    assertEquals(held.sessionId(), holderJson.getString("session"));
    assertEquals("test-holder", holderJson.getString("sessionName"));
    assertEquals("test-owner", holderJson.getString("owner"));
    assertEquals(held.fencingToken(), holderJson.getJsonNumber("fencingToken").longValue());
    JsonObject waiterJson = lock.getJsonArray("waiters").getJsonObject(0);
    assertEquals(waiter.sessionId().orElseThrow(), waiterJson.getString("session"));
    assertEquals("test-waiter", waiterJson.getString("sessionName"));
    assertTrue(document.getJsonNumber("revision").longValue() >= held.fencingToken());

    Finished table = cli.run("status", "st/");
    assertEquals(0, table.exit(), table.err());
    List<String> rows = table.out().lines().toList();
    assertTrue(rows.get(0).startsWith("LOCK"), table.out());
    assertTrue(
        rows.get(1)
            .matches(
                "st/a +exclusive +holder +"
                    + held.sessionId()
                    + " +test-holder"
                    + " +test-owner +"
                    + held.fencingToken()),
        table.out());
    assertTrue(
        rows.get(2)
            .matches(
                " +exclusive +waiter 1 +"
                    + waiter.sessionId().orElseThrow()
                    + " +test-waiter +- +-"),
        table.out());
    // Kept for the README and the report: a table as the CLI printed it.
    Files.writeString(
        Path.of(System.getProperty("lockstep.test.dir"), "status-table.txt"), table.out());

    held.release();
    queued.join().orElseThrow().release();
  }

  @Test
  void watch_replaysFromSince_thenGoesOnLive_oneJsonLinePerEvent() {
    long before = holder.status("w/a").revision();
    long token;
    try (LockHandle first = holder.tryAcquire("w/a", Duration.ZERO).orElseThrow()) {
      token = first.fencingToken();
    }
    Running watch = cli.start("watch", "w/", "--since", Long.toString(before), "--json");
    try {
      await().atMost(PATIENCE).until(() -> events(watch).size() >= 2);
      holder.tryAcquire("w/b", Duration.ZERO).orElseThrow().release(); // after the replay: live

      await().atMost(PATIENCE).until(() -> events(watch).size() >= 4);
      List<JsonObject> events = events(watch);
      assertEquals("acquired", events.get(0).getString("event"));
      assertEquals("w/a", events.get(0).getString("lock"));
      assertEquals(token, events.get(0).getJsonNumber("fencingToken").longValue());
      assertEquals("test-owner", events.get(0).getString("owner"));
      assertEquals(holder.sessionId().orElseThrow(), events.get(0).getString("session"));
      assertEquals("released", events.get(1).getString("event"));
      assertEquals("w/a", events.get(1).getString("lock"));
      assertEquals("acquired", events.get(2).getString("event"));
      assertEquals("w/b", events.get(2).getString("lock"));
      assertEquals("released", events.get(3).getString("event"));
      long last = before;
      for (JsonObject event : events) {
        long revision = event.getJsonNumber("revision").longValue();
        assertTrue(revision > last, "in revision order, once each: " + events);
        last = revision;
      }
    } finally {
      watch.process().destroy();
    }
  }

  @Test
  void check_exits0ForTheCurrentGrantOnly() {
    LockHandle held = holder.tryAcquire("chk/a", Duration.ZERO).orElseThrow();
    String token = Long.toString(held.fencingToken());
    String later = Long.toString(held.fencingToken() + 1000);

    assertEquals(ExitStatus.OK, cli.run("check", "chk/a", token).exit());
    assertEquals(ExitStatus.NOT_CURRENT, cli.run("check", "chk/a", later).exit());
    held.release();
    Finished stale = cli.run("check", "chk/a", token);
    assertEquals(ExitStatus.NOT_CURRENT, stale.exit(), stale.err());
    assertTrue(stale.out().contains("is not the current grant"), stale.out());
  }

  private LockClient client(String sessionName, String owner) {
    return LockClient.create(
        LockClientConfig.connect(url)
            .withCache(false)
            .withSessionName(sessionName)
            .withOwner(() -> owner));
  }

  private static List<JsonObject> events(Running watch) {
    return watch
        .outSoFar()
        .lines()
        .filter(line -> line.endsWith("}"))
        .map(StatusWatchCheckIT::parse)
        .toList();
  }

  private static JsonObject parse(String json) {
    try (JsonReader reader = Json.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }
}
