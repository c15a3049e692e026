package dev.lockstep.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.it.support.Api;
import dev.lockstep.it.support.Chromium;
import dev.lockstep.it.support.OpenedSessions;
import dev.lockstep.it.support.TestSession;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard ({@code GET /}) in headless Chromium, as a person would watch it: changes made
 * through the API show on the page within a second. Each test has its own browser and its own lock
 * names; the page also shows the other features' locks, which the tests look past.
 */
abstract class DashboardBrowserTests {
  /** How soon a change must show on the page. */
  private static final Duration ON_PAGE = Duration.ofSeconds(1);

  private final Api api = Api.ofServerUnderTest();
  private final String root = "it-dashboard/" + UUID.randomUUID();
  private final Path workDir = Path.of(System.getProperty("it.workDir", "target"));
  @RegisterExtension final OpenedSessions sessions = new OpenedSessions(api);
  private Chromium browser;

  /** A lock's row as the page shows it: its mode, the session ids of holders and of waiters. */
  record Row(String mode, List<String> holders, List<String> waiters) {}

  @BeforeEach
  void openDashboard() {
    browser =
        Chromium.launch(
            System.getProperty("it.chromium", "/usr/bin/chromium"),
            1280,
            900,
            workDir.resolve("chromium.log"));
    browser.navigate(api.base() + "/");
    await("the page's event stream is live")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                "live"
                    .equals(
                        browser.evaluateString("document.getElementById('stream').dataset.state")));
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void dashboard_followsAcquireQueueAndReleasesWithinASecond() throws Exception {
    String lock = root + "/jobs/nightly";
    TestSession holder = session();
    TestSession waiter = session();

    assertEquals(200, holder.acquire(lock, "exclusive", "PT0S").statusCode());
    awaitRow(lock, Optional.of(new Row("exclusive", List.of(holder.id()), List.of())));

    CompletableFuture<HttpResponse<String>> waiting =
        CompletableFuture.supplyAsync(() -> waiter.acquire(lock, "exclusive", "PT30S"));
    awaitRow(lock, Optional.of(new Row("exclusive", List.of(holder.id()), List.of(waiter.id()))));
    assertEquals(
        "none",
        browser.evaluateString(
            "getComputedStyle(document.querySelector('li[data-waiter]')).listStyleType"),
        "the waiter's place is in its text (\"1. \"): the list must not number it again");
    Path screenshot = workDir.resolve("dashboard.png");
    browser.screenshot(screenshot);
    assertTrue(Files.size(screenshot) > 1000, "a screenshot at " + screenshot);

    assertEquals(204, holder.release(lock).statusCode());
    awaitRow(lock, Optional.of(new Row("exclusive", List.of(waiter.id()), List.of())));
    assertEquals(200, waiting.get(10, TimeUnit.SECONDS).statusCode());

    assertEquals(204, waiter.release(lock).statusCode());
    awaitRow(lock, Optional.empty());

    // The feed lists the lock's events newest first.
    await("the feed")
        .atMost(ON_PAGE)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () ->
                assertEquals(
                    List.of("released", "acquired", "released", "queued", "acquired"),
                    feedKinds(lock)));
    assertEquals(List.of(), browser.pageErrors(), "uncaught errors on the page");
  }

  /**
   * Each event makes the page re-read its lock, and on a real network those reads may answer out of
   * order. The test makes them do so (each answer is held back a random 0 to 300 ms): the page must
   * end on the last state, not on whichever answer came last.
   */
  @Test
  void dashboard_whenLockReadsAnswerOutOfOrder_endsOnTheLastState() {
    browser.evaluate(
        "(() => { const fetchNow = window.fetch;"
            + " window.fetch = (...args) => fetchNow(...args).then(answer =>"
            + "   new Promise(done => setTimeout(() => done(answer), Math.random() * 300))); })()");
    String lock = root + "/burst";
    TestSession s = session();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 20; i++) {
        assertEquals(200, s.acquire(lock, "exclusive", "PT0S").statusCode());
        assertEquals(204, s.release(lock).statusCode());
      }
      awaitRowStays(lock, Optional.empty());
      assertEquals(200, s.acquire(lock, "shared", "PT0S").statusCode());
      awaitRowStays(lock, Optional.of(new Row("shared", List.of(s.id()), List.of())));
      assertEquals(204, s.release(lock).statusCode());
    }
    assertEquals(List.of(), browser.pageErrors(), "uncaught errors on the page");
  }

  @Test
  void dashboard_filterTypedIntoPrefixBox_showsOnlyThoseLocks() {
    TestSession s = session();
    String shown = root + "/a/one";
    String hidden = root + "/b/two";
    assertEquals(200, s.acquire(shown, "exclusive", "PT0S").statusCode());
    assertEquals(200, s.acquire(hidden, "exclusive", "PT0S").statusCode());
    awaitRow(hidden, Optional.of(new Row("exclusive", List.of(s.id()), List.of())));

    browser.evaluate("document.getElementById('prefix').focus()");
    browser.type(root + "/a/");
    awaitRow(hidden, Optional.empty());
    assertEquals(Optional.of(new Row("exclusive", List.of(s.id()), List.of())), row(shown));
    assertEquals("1", browser.evaluateString("document.getElementById('count').textContent"));
  }

  @Test
  void dashboard_onPhoneWidth_fitsWithoutSidewaysScrolling() {
    TestSession s = session();
    String lock = root + "/" + "very-long-segment-".repeat(11);
    lock = lock.substring(0, Math.min(lock.length(), 250)).replaceAll("-+$", "");
    assertEquals(200, s.acquire(lock, "exclusive", "PT0S").statusCode());
    browser.resize(390, 844, true);
    awaitRow(lock, Optional.of(new Row("exclusive", List.of(s.id()), List.of())));

    JsonObject widths =
        browser
            .evaluate("({page: document.documentElement.scrollWidth, view: window.innerWidth})")
            .asJsonObject();
    JsonObject caption =
        browser
            .evaluate(
                "({caption: document.querySelector('#locks caption')"
                    + ".getBoundingClientRect().width, table: document.getElementById('locks')"
                    + ".getBoundingClientRect().width})")
            .asJsonObject();
    browser.screenshot(workDir.resolve("dashboard-phone.png"));
    assertTrue(
        widths.getInt("page") <= widths.getInt("view"),
        "the page is wider than a phone's screen: " + widths);
    assertTrue(
        caption.getJsonNumber("caption").doubleValue()
            >= 0.9 * caption.getJsonNumber("table").doubleValue(),
        "the table's caption is squeezed into a narrow column: " + caption);
  }

  // ---------------------------------------------------------------- helpers

  private TestSession session() {
    return sessions.open("PT60S");
  }

  private void awaitRow(String lock, Optional<Row> expected) {
    await("row of " + lock)
        .atMost(ON_PAGE)
        .pollInterval(Duration.ofMillis(25))
        .untilAsserted(() -> assertEquals(expected, row(lock)));
  }

  /** Waits until the page shows {@code expected} and then keeps showing it for half a second. */
  private void awaitRowStays(String lock, Optional<Row> expected) {
    await("row of " + lock + " settled")
        .during(Duration.ofMillis(500))
        .atMost(ON_PAGE.plusMillis(500))
        .pollInterval(Duration.ofMillis(25))
        .untilAsserted(() -> assertEquals(expected, row(lock)));
  }

  /** The row of {@code lock} as shown now, if the page shows one. */
  private Optional<Row> row(String lock) {
    JsonValue value =
        browser.evaluate(
            "(() => {"
                + " const row = [...document.querySelectorAll('tr[data-lock]')]"
                + "   .find(r => r.dataset.lock === "
                + Json.createValue(lock)
                + ");"
                + " if (!row) return null;"
                + " const ids = (attr) => [...row.querySelectorAll('[' + attr + ']')]"
                + "   .map(e => e.getAttribute(attr));"
                + " return {mode: row.cells[1].textContent.trim()," // the Mode column
                + "   holders: ids('data-holder'), waiters: ids('data-waiter')};"
                + "})()");
    if (value == JsonValue.NULL) {
      return Optional.empty();
    }
    JsonObject row = value.asJsonObject();
    return Optional.of(
        new Row(
            row.getString("mode"),
            strings(row.getJsonArray("holders")),
            strings(row.getJsonArray("waiters"))));
  }

  /** The kinds of the feed's items about {@code lock}, newest first. */
  private List<String> feedKinds(String lock) {
    return strings(
        browser
            .evaluate(
                "[...document.querySelectorAll('#feed li[data-kind]')]"
                    + ".filter(li => li.querySelector('code')?.textContent === "
                    + Json.createValue(lock)
                    + ")"
                    + ".map(li => li.dataset.kind)")
            .asJsonArray());
  }

  private static List<String> strings(JsonArray array) {
    return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
  }
}
