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
import java.util.ArrayList;
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
  /**
   * While a named client acquires and releases: its name beside its id in the lock's row, its row
   * in the sessions panel (name, TTL, expiry, locks held), and the charts of the last five minutes
   * counting its grants.
   */
  @Test
  void dashboard_whileAClientAcquiresAndReleases_showsItsNameItsSessionAndTheChartsMoving()
      throws Exception {
    String name = "dash-" + UUID.randomUUID();
    TestSession client = namedSession(name);
    String lock = root + "/jobs/hourly";
    browser.evaluate("document.getElementById('session-prefix').focus()");
    browser.type(name);

    assertEquals(200, client.acquire(lock, "exclusive", "PT0S").statusCode());
    awaitRow(lock, Optional.of(new Row("exclusive", List.of(client.id()), List.of())));
    assertTrue(
        holderText(lock).contains(name) && holderText(lock).contains(client.id()),
        "the holder's name beside its id: " + holderText(lock));
    await("the session's row in the sessions panel")
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () ->
                assertEquals(
                    List.of(name + " " + client.id(), "60 s", "TTL left", "[" + lock + "]"),
                    sessionRow(client.id())));

    JsonObject before = chart("chart-grants");
    String lineBefore = chartLine("chart-grants");
    for (int i = 0; i < 5; i++) {
      assertEquals(204, client.release(lock).statusCode());
      assertEquals(200, client.acquire(lock, "exclusive", "PT0S").statusCode());
    }
    await("the grants chart counts the 5 grants")
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                chart("chart-grants").getInt("total") >= before.getInt("total") + 5
                    && !chartLine("chart-grants").equals(lineBefore));
    assertTrue(
        chart("chart-delay").getInt("valued") > 0, "the grant-to-event delay chart has values");
    assertTrue(
        chart("chart-grants").getInt("samples") > before.getInt("samples"),
        "a sample each second: " + chart("chart-grants"));
    awaitRow(lock, Optional.of(new Row("exclusive", List.of(client.id()), List.of())));
    Path screenshot = workDir.resolve("dashboard-live.png");
    browser.screenshot(screenshot);
    assertTrue(Files.size(screenshot) > 1000, "a screenshot at " + screenshot);

    assertEquals(204, client.release(lock).statusCode());
    await("the session's row shows it holds nothing")
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> sessionRow(client.id()).get(3).equals("[]"));
    assertEquals(List.of(), browser.pageErrors(), "uncaught errors on the page");
  }

  /** A lock under lock-delay shows until when, counting down, and leaves when the delay ends. */
  @Test
  void dashboard_lockUnderLockDelay_showsItsEndCountingDownThenGoes() {
    String lock = root + "/delayed";
    TestSession holder = sessions.open("PT2S", "PT3S");
    assertEquals(200, holder.acquire(lock, "exclusive", "PT0S").statusCode());
    awaitRow(lock, Optional.of(new Row("exclusive", List.of(holder.id()), List.of())));

    await("the lock-delay on the page")
        .atMost(Duration.ofSeconds(4))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> row(lock).map(r -> r.mode().startsWith("lock-delay")).orElse(false));
    String blockedUntil = api.lock(lock).getString("blockedUntil");
    assertEquals(
        blockedUntil,
        browser.evaluateString(rowScript(lock) + ".querySelector('[data-until]').dataset.until"));
    int first = secondsLeft(lock);
    await("the countdown")
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> secondsLeft(lock) < first);
    await("the lock leaves the page when its lock-delay ends")
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> row(lock).isEmpty());
  }

  /** Keyboard: Tab reaches the charts, both filters and the feed in reading order, each visibly. */
  @Test
  void dashboard_byKeyboard_reachesChartsFiltersAndFeedInOrder_withVisibleFocus() {
    List<String> reached = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      browser.press("Tab");
      JsonObject focused =
          browser
              .evaluate(
                  "(() => { const a = document.activeElement;"
                      + " return {id: a.id || a.tagName, outline: getComputedStyle(a).outlineStyle,"
                      + " label: a.getAttribute('aria-labelledby') || ''}; })()")
              .asJsonObject();
      assertTrue(
          !focused.getString("outline").equals("none") || focused.getString("id").equals("BODY"),
          "focus must be visible: " + focused);
      reached.add(focused.getString("id"));
      if (focused.getString("id").startsWith("chart-")) {
        assertTrue(!focused.getString("label").isEmpty(), "a chart has an accessible name");
      }
    }
    List<String> expected =
        List.of("chart-grants", "chart-waiters", "chart-delay", "prefix", "session-prefix", "feed");
    assertEquals(
        expected, reached.stream().filter(expected::contains).distinct().toList(), "" + reached);
    assertTrue(
        browser
            .evaluateString("document.getElementById('grants-summary').textContent")
            .contains("peak"),
        "the chart's text alternative says its values");
  }

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

  private TestSession namedSession(String name) {
    HttpResponse<String> answer =
        api.send(
            "POST",
            "/api/v1/sessions",
            null,
            Json.createObjectBuilder().add("name", name).add("ttl", "PT60S").build().toString());
    assertEquals(201, answer.statusCode(), answer.body());
    JsonObject json = Api.json(answer);
    return sessions.track(new TestSession(api, json.getString("id"), json.getString("token")));
  }

  private static String rowScript(String lock) {
    return "[...document.querySelectorAll('tr[data-lock]')].find(r => r.dataset.lock === "
        + Json.createValue(lock)
        + ")";
  }

  private String holderText(String lock) {
    return browser.evaluateString(
        rowScript(lock) + ".querySelector('li[data-holder]').textContent");
  }

  /** The seconds the lock's lock-delay countdown shows. */
  private int secondsLeft(String lock) {
    String text =
        browser.evaluateString(
            "(" + rowScript(lock) + "?.querySelector('[data-until]')?.textContent) || '0 s'");
    return Integer.parseInt(text.replace(" s", "").trim());
  }

  /**
   * The session's row in the sessions panel: name and id, TTL, "TTL left" when the expiry shown is
   * within its TTL from now, and the locks held; empty cells when the panel does not show it.
   */
  private List<String> sessionRow(String id) {
    JsonValue value =
        browser.evaluate(
            "(() => { const row = [...document.querySelectorAll('tr[data-session]')]"
                + ".find(r => r.dataset.session === "
                + Json.createValue(id)
                + "); if (!row) return ['', '', '', ''];"
                + " const left = Date.parse(row.cells[2].querySelector('[data-until]')"
                + ".dataset.until) - Date.now();"
                + " const ttl = parseInt(row.cells[1].textContent) * 1000;"
                + " return [row.cells[0].textContent.trim().replace(/\\s+/g, ' '),"
                + " row.cells[1].textContent.trim(),"
                + " left > 0 && left <= ttl + 1000 ? 'TTL left' : 'expiry ' + left,"
                + " JSON.stringify([...row.cells[3].querySelectorAll('code')]"
                + ".map(c => c.textContent)).replace(/\"/g, '')]; })()");
    return strings(value.asJsonArray());
  }

  /**
   * The chart's window total, its samples and those with a value, as the page keeps them on the
   * figure.
   */
  private JsonObject chart(String id) {
    return browser
        .evaluate(
            "(() => { const f = document.getElementById('"
                + id
                + "'); return {total: Math.round(Number(f.dataset.windowTotal)),"
                + " samples: Number(f.dataset.samples), valued: Number(f.dataset.valued)}; })()")
        .asJsonObject();
  }

  private String chartLine(String id) {
    return browser.evaluateString(
        "document.querySelector('#" + id + " svg path:last-of-type').getAttribute('d')");
  }

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
