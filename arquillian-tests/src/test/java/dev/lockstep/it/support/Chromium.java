package dev.lockstep.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * One headless Chromium with one page, driven over the Chrome DevTools Protocol on {@code
 * java.net.http.WebSocket}. A hand-rolled client rather than Selenium: the tests need four commands
 * (navigate, evaluate, screenshot, close), and this way they need no dependency, no driver binary
 * and nothing that might try to download a browser on a closed network.
 *
 * <p>Blocking: every method waits for Chromium's answer, at most {@link #COMMAND_TIMEOUT}.
 */
public final class Chromium implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final List<String> pageErrors = Collections.synchronizedList(new ArrayList<>());

  private Chromium(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /**
   * Starts {@code binary} (say {@code /usr/bin/chromium}) headless with a fresh profile and a
   * {@code width} x {@code height} window, its output in {@code log}, and attaches to its page.
   */
  public static Chromium launch(String binary, int width, int height, Path log) {
    Path profile;
    try {
      profile = Files.createTempDirectory("lockstep-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command =
        List.of(
            binary,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--user-data-dir=" + profile,
            "--window-size=" + width + "," + height,
            // Port 0: Chromium picks a free one and writes it to DevToolsActivePort in the profile.
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "about:blank");
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      deleteQuietly(profile);
      throw new UncheckedIOException("could not start " + binary, e);
    }
    try {
      int port = devToolsPort(process, profile);
      URI page = pageSocket(port);
      PageListener listener = new PageListener();
      WebSocket socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .connectTimeout(COMMAND_TIMEOUT)
              .buildAsync(page, listener)
              .get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      Chromium chromium = new Chromium(process, profile, socket);
      listener.chromium = chromium;
      chromium.call("Runtime.enable", JsonValue.EMPTY_JSON_OBJECT);
      chromium.call("Page.enable", JsonValue.EMPTY_JSON_OBJECT);
      return chromium;
    } catch (Exception e) {
      stop(process);
      deleteQuietly(profile);
      throw new IllegalStateException("could not attach to Chromium (its log: " + log + ")", e);
    }
  }

  /** Opens {@code url} and waits until its document has loaded. */
  public void navigate(String url) {
    call("Page.navigate", Json.createObjectBuilder().add("url", url).build());
    // about:blank is "complete" too: wait for the new document, not merely a loaded one.
    String loaded = "location.href === " + Json.createValue(url) + " && document.readyState";
    Awaitility.await(url + " loaded")
        .atMost(COMMAND_TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> "complete".equals(evaluateString(loaded)));
  }

  /**
   * Evaluates a JavaScript expression in the page (promises are awaited) and answers its value as
   * JSON; an exception in the page is an AssertionError.
   */
  public JsonValue evaluate(String expression) {
    JsonObject answer =
        call(
            "Runtime.evaluate",
            Json.createObjectBuilder()
                .add("expression", expression)
                .add("returnByValue", true)
                .add("awaitPromise", true)
                .build());
    if (answer.containsKey("exceptionDetails")) {
      throw new AssertionError(
          "page threw on " + expression + ": " + answer.get("exceptionDetails"));
    }
    JsonObject result = answer.getJsonObject("result");
    return result.containsKey("value") ? result.get("value") : JsonValue.NULL;
  }

  public String evaluateString(String expression) {
    JsonValue value = evaluate(expression);
    return value instanceof JsonString text ? text.getString() : null;
  }

  /** Types {@code text} into the focused element as a keyboard would insert it. */
  public void type(String text) {
    call("Input.insertText", Json.createObjectBuilder().add("text", text).build());
  }

  /** Presses one key (for example {@code Tab}) on the focused element. */
  public void press(String key) {
    for (String type : List.of("keyDown", "keyUp")) {
      call(
          "Input.dispatchKeyEvent",
          Json.createObjectBuilder().add("type", type).add("key", key).add("code", key).build());
    }
  }

  /** Emulates a device of {@code width} x {@code height} CSS pixels (a phone: 390 x 844). */
  public void resize(int width, int height, boolean mobile) {
    call(
        "Emulation.setDeviceMetricsOverride",
        Json.createObjectBuilder()
            .add("width", width)
            .add("height", height)
            .add("deviceScaleFactor", 1)
            .add("mobile", mobile)
            .build());
  }

  /** Saves a PNG of the page as it is shown now. */
  public void screenshot(Path file) {
    JsonObject answer =
        call("Page.captureScreenshot", Json.createObjectBuilder().add("format", "png").build());
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, Base64.getDecoder().decode(answer.getString("data")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Uncaught exceptions the page has thrown so far, as Chromium reported them. */
  public List<String> pageErrors() {
    synchronized (pageErrors) {
      return List.copyOf(pageErrors);
    }
  }

  /** Sends one DevTools command and waits for its result; an error answer is an AssertionError. */
  public JsonObject call(String method, JsonObject params) {
    long id = ids.incrementAndGet();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    pending.put(id, answer);
    String message =
        Json.createObjectBuilder()
            .add("id", id)
            .add("method", method)
            .add("params", params)
            .build()
            .toString();
    try {
      socket.sendText(message, true).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      JsonObject reply = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (reply.containsKey("error")) {
        throw new AssertionError(method + " failed: " + reply.get("error"));
      }
      return reply.getJsonObject("result");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + method, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(method + " got no answer", e);
    } finally {
      pending.remove(id);
    }
  }

  /** Closes the browser and removes its profile; safe to call twice. */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        // Browser.close lets Chromium take down its helper processes itself.
        socket
            .sendText("{\"id\":" + ids.incrementAndGet() + ",\"method\":\"Browser.close\"}", true)
            .get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // stopped below anyway
      }
    }
    stop(process);
    deleteQuietly(profile);
  }

  private void receive(String text) {
    JsonObject message;
    try (var reader = Json.createReader(new StringReader(text))) {
      message = reader.readObject();
    }
    if (message.containsKey("id")) {
      CompletableFuture<JsonObject> answer = pending.get(message.getJsonNumber("id").longValue());
      if (answer != null) {
        answer.complete(message);
      }
    } else if ("Runtime.exceptionThrown".equals(message.getString("method", ""))) {
      pageErrors.add(message.getJsonObject("params").toString());
    }
  }

  private static int devToolsPort(Process process, Path profile) {
    Path portFile = profile.resolve("DevToolsActivePort");
    // Polling a file that Chromium writes once; nothing to be notified by.
    return Awaitility.await("Chromium's DevToolsActivePort")
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> portIn(process, portFile), Optional::isPresent)
        .orElseThrow();
  }

  /** The port Chromium wrote, once it has; an exception once Chromium has exited. */
  private static Optional<Integer> portIn(Process process, Path portFile) throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException("Chromium exited with " + process.exitValue());
    }
    if (Files.exists(portFile)) {
      List<String> lines = Files.readAllLines(portFile);
      if (!lines.isEmpty() && !lines.get(0).isBlank()) {
        return Optional.of(Integer.parseInt(lines.get(0).trim()));
      }
    }
    return Optional.empty();
  }

  private static URI pageSocket(int port) throws Exception {
    HttpResponse<String> list =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(COMMAND_TIMEOUT)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    try (var reader = Json.createReader(new StringReader(list.body()))) {
      return reader.readArray().getValuesAs(JsonObject.class).stream()
          .filter(target -> "page".equals(target.getString("type", "")))
          .map(target -> URI.create(target.getString("webSocketDebuggerUrl")))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no page target: " + list.body()));
    }
  }

  private static void stop(Process process) {
    List<ProcessHandle> helpers = process.descendants().toList();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Helpers of this browser that outlived it (renderer, zygote): ended by their ids.
    helpers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temp directory left behind is harmless
    }
  }

  /** Collects DevTools messages, which may come in several frames, and hands them over whole. */
  private static final class PageListener implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();
    volatile Chromium chromium;

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        String text = message.toString();
        message.setLength(0);
        // Set before the first command is sent, and Chromium says nothing unasked before that.
        Chromium target = chromium;
        if (target != null) {
          target.receive(text);
        }
      }
      socket.request(1);
      return null;
    }
  }
}
