package dev.lockstep.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Random values of every kind the API takes: lock names in path form, durations, tokens, JSON
 * bodies good and bad. All from one seeded {@link Random}, so a failing run can be replayed.
 */
final class FuzzValues {
  private static final String NAME_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-:";

  /**
   * Characters outside the name alphabet, always percent-encoded in the path. Not '\\' nor NUL: the
   * web container answers {@code %5C} and {@code %00} itself, whatever it is told (README, "Rules
   * worth knowing").
   */
  private static final List<String> FOREIGN_CHARS =
      List.of(
          " ", "*", "?", "#", "%", "+", "=", "&", "'", "\"", "<", "[", "~", "!", "@", "$", "\t",
          "\n", "\r", "\u0001", "\u007f", "é", "ü", "€", "\u202e", "😀", "中");

  private static final List<String> GOOD_WAITS =
      List.of("PT0S", "PT0.01S", "PT0.02S", "pt0s", "PT0.000S");
  private static final List<String> BAD_DURATIONS =
      List.of(
          "PT-1S",
          "-PT1S",
          "P1D",
          "PT5M0.001S",
          "5s",
          "",
          " ",
          "PT",
          "P",
          "PT1.0000000001S",
          "PT9999999999999999999S",
          " PT0S",
          "PT0S ",
          "P1Y",
          "PT1M-1S",
          "PTS",
          "1000",
          "PT0S\u0000",
          "PT1H1H",
          "P-0D",
          "PT1,5S",
          "∞",
          "PT" + "9".repeat(400) + "S");
  private static final List<String> MODES =
      List.of("exclusive", "shared", "EXCLUSIVE", "Shared", "", "x", "read", "exclusive ");

  private final Random random;

  FuzzValues(Random random) {
    this.random = random;
  }

  Random random() {
    return random;
  }

  <T> T pick(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  // ---------------------------------------------------------------- names

  /** A lock name as decoded text: often valid, often broken in one of many ways. */
  String lockName(String base) {
    StringBuilder name = new StringBuilder(base);
    int kind = random.nextInt(12);
    switch (kind) {
      case 0 -> name.append("n".repeat(257 + random.nextInt(150)));
      case 1 -> name.append(segment()).append("//").append(segment());
      case 2 ->
          name.append(segment()).append(random.nextBoolean() ? "/./" : "/../").append(segment());
      case 3 -> name.append(segment()).append('/');
      case 4 -> name.insert(0, '/');
      case 5 -> name.append(segment()).append(pick(FOREIGN_CHARS)).append(segment());
      case 6 -> name.setLength(Math.max(0, name.length() - 1 - random.nextInt(3)));
      default -> {
        int segments = 1 + random.nextInt(4);
        for (int i = 0; i < segments; i++) {
          name.append(i == 0 ? "" : "/").append(segment());
        }
      }
    }
    return name.toString();
  }

  /** 1 to 12 characters of the name alphabet, never only dots. */
  private String segment() {
    StringBuilder s = new StringBuilder();
    int length = 1 + random.nextInt(12);
    for (int i = 0; i < length; i++) {
      s.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
    }
    if (s.chars().allMatch(c -> c == '.')) {
      s.append('x');
    }
    return s.toString();
  }

  /**
   * The name in a request path: allowed characters mostly as they are, sometimes percent-encoded
   * (the server decodes them to the same name); everything else encoded as UTF-8; now and then a
   * raw ';' (a matrix parameter to JAX-RS, which must not change the name it sees).
   */
  String pathOf(String name, boolean allowSemicolon) {
    List<String> pieces = new ArrayList<>();
    name.codePoints()
        .forEach(
            c -> {
              boolean allowed = c < 128 && (NAME_CHARS.indexOf(c) >= 0 || c == '/');
              StringBuilder piece = new StringBuilder();
              if (allowed && !chance(3)) {
                piece.appendCodePoint(c);
              } else {
                for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                  piece.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
                }
              }
              pieces.add(piece.toString());
            });
    if (allowSemicolon && chance(15)) {
      pieces.add(random.nextInt(pieces.size() + 1), ";" + segment());
    }
    return String.join("", pieces);
  }

  /**
   * The contract's rule for a lock name, on the decoded name: 1 to 256 characters of the alphabet
   * and '/', no empty, '.' or '..' segment (hence no leading or trailing '/').
   */
  static boolean validName(String name) {
    if (name.isEmpty() || name.length() > 256) {
      return false;
    }
    for (char c : name.toCharArray()) {
      if (c != '/' && NAME_CHARS.indexOf(c) < 0) {
        return false;
      }
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Paths the web container answers itself, before the application (README, "Rules worth knowing"):
   * a last segment of only dots gets a bare 400. Generated around, not asserted on.
   */
  static boolean answeredByContainer(String rawPath) {
    String path =
        rawPath
            .replaceAll("\\?.*", "")
            .replaceAll(";[^/]*", "")
            .replace("%2E", ".")
            .replace("%2e", ".");
    String last = path.substring(path.lastIndexOf('/') + 1);
    return !last.isEmpty() && last.chars().allMatch(c -> c == '.');
  }

  // ---------------------------------------------------------------- scalars

  String waitValue() {
    return chance(50) ? pick(GOOD_WAITS) : pick(BAD_DURATIONS);
  }

  String ttlValue() {
    return chance(40)
        ? pick(List.of("PT1S", "PT10S", "PT1H", "PT30S"))
        : pick(List.of("PT0.999S", "PT0S", "PT1H0.001S", "P1D", "PT2H"))
            + (chance(50) ? "" : pick(BAD_DURATIONS));
  }

  String lockDelayValue() {
    return chance(40)
        ? pick(List.of("PT0S", "PT1S", "PT1M"))
        : pick(List.of("PT1M0.001S", "PT61S", "PT1H")) + (chance(50) ? "" : pick(BAD_DURATIONS));
  }

  String mode() {
    return pick(MODES);
  }

  /** Text for a name or owner: short, long, with control or non-ASCII characters. */
  String text() {
    return switch (random.nextInt(6)) {
      case 0 -> "w".repeat(250 + random.nextInt(20));
      case 1 -> "ctl\u0001\u001f";
      case 2 -> "é€😀中\u202e";
      case 3 -> "";
      case 4 -> "line\nbreak";
      default -> "fuzz-" + random.nextInt(1000);
    };
  }

  /** A JSON value of a random type, for a field that wants another. */
  String anyJson() {
    return pick(
        List.of(
            "1",
            "-1",
            "0",
            "1.5",
            "1e400",
            "-0",
            "true",
            "false",
            "null",
            "[]",
            "{}",
            "[\"PT1S\"]",
            "{\"a\":1}",
            "\"\"",
            "9223372036854775808",
            "-9223372036854775809",
            "100000000000000000000000",
            "0.0",
            "1E3",
            "\"\\ud800\"",
            "\"\\u0000\""));
  }

  String quoted(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  // ---------------------------------------------------------------- bodies

  /**
   * A body for a call whose object has {@code fields}: {@code good} is a valid field value for
   * each, anything else comes from the rest of this class. Null means no body.
   */
  byte[] body(List<String> fields, Function<String, String> good) {
    int kind = random.nextInt(100);
    if (kind < 10) {
      return null;
    }
    if (kind < 35) {
      return utf8(object(fields, good, 0));
    }
    if (kind < 55) {
      return utf8(object(fields, good, 50));
    }
    if (kind < 60) {
      return utf8(
          "{"
              + quoted(pick(List.of("color", "Mode", "ttl ", "", "__proto__", "wait\u0000")))
              + ":"
              + anyJson()
              + "}");
    }
    if (kind < 65) {
      int depth = 200 + random.nextInt(5_000);
      String open = random.nextBoolean() ? "[" : "{\"a\":";
      String close = open.equals("[") ? "]" : "}";
      return utf8(
          "{"
              + quoted(pick(fields))
              + ":"
              + open.repeat(depth)
              + "1"
              + close.repeat(random.nextInt(depth + 1))
              + "}");
    }
    if (kind < 67) {
      return utf8(
          "{"
              + quoted(pick(fields))
              + ":\""
              + "x".repeat(64 * 1024 + random.nextInt(8192))
              + "\"}");
    }
    if (kind < 72) {
      byte[] bytes = new byte[random.nextInt(300)];
      random.nextBytes(bytes);
      return bytes;
    }
    if (kind < 80) {
      return withInvalidUtf8(object(fields, good, 0));
    }
    if (kind < 86) {
      return utf8(
          pick(
              List.of(
                  "[]",
                  "null",
                  "42",
                  "\"x\"",
                  "   ",
                  "{",
                  "}",
                  "{}{}",
                  "{} x",
                  "{\"a\":1,}",
                  "{'mode':'shared'}",
                  "\ufeff{}",
                  "{}\u0000",
                  "[{}]",
                  "{\"mode\"}")));
    }
    if (kind < 92) {
      String field = pick(fields);
      return utf8(
          "{"
              + quoted(field)
              + ":"
              + good.apply(field)
              + ","
              + quoted(field)
              + ":"
              + anyJson()
              + "}");
    }
    StringBuilder wide = new StringBuilder("{");
    for (int i = 0; i < 1 + random.nextInt(1000); i++) {
      wide.append(i == 0 ? "" : ",").append(quoted("k" + i)).append(":1");
    }
    return utf8(wide.append('}').toString());
  }

  /** An object of some of {@code fields}; each value bad with {@code badPercent} chance. */
  private String object(List<String> fields, Function<String, String> good, int badPercent) {
    StringBuilder json = new StringBuilder("{");
    for (String field : fields) {
      if (chance(50)) {
        continue;
      }
      json.append(json.length() > 1 ? "," : "")
          .append(quoted(field))
          .append(':')
          .append(chance(badPercent) ? anyJson() : good.apply(field));
    }
    return json.append('}').toString();
  }

  /** Stray, overlong, surrogate and truncated UTF-8 sequences inside a JSON text. */
  private byte[] withInvalidUtf8(String json) {
    byte[] text = utf8(json);
    int at = random.nextInt(text.length + 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(text, 0, at);
    out.writeBytes(
        HexFormat.of()
            .parseHex(pick(List.of("ff", "fe", "c0af", "eda080", "e282", "80", "f8888080", "c3"))));
    out.write(text, at, text.length - at);
    return out.toByteArray();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
