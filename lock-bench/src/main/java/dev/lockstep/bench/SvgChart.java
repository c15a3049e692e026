package dev.lockstep.bench;

import dev.lockstep.bench.ResultTable.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bench's table drawn as an SVG bar chart, written as plain text (SVG is XML; no library is
 * needed for rectangles and labels): one panel per unit, so that every bar is scaled against
 * figures it can be compared with; in a panel one group of horizontal bars per workload, one bar
 * and one colour per system, each bar with its value printed at its end. Bars of a panel share a
 * linear scale from zero to the panel's largest figure.
 */
final class SvgChart {
  /** One colour per system (Okabe-Ito: told apart also by colour-blind readers). */
  private static final Map<String, String> COLOURS =
      Map.of("lockstep", "#0072B2", "zookeeper", "#E69F00", "etcd", "#009E73");

  private static final String OTHER_COLOUR = "#999999";
  private static final int WIDTH = 960;
  private static final int LABEL_WIDTH = 400;
  private static final int BAR_AREA = 440;
  private static final int BAR_HEIGHT = 14;
  private static final int BAR_GAP = 2;
  private static final int GROUP_GAP = 10;
  private static final int PANEL_HEADER = 28;
  private static final int PANEL_GAP = 16;

  private final List<String> systems;

  SvgChart(List<String> systems) {
    this.systems = List.copyOf(systems);
  }

  /** The chart of {@code rows} under {@code title}, as an SVG document. */
  String render(String title, List<Row> rows) {
    Map<String, List<Row>> panels = new LinkedHashMap<>();
    for (Row row : rows) {
      if (!drawn(row).isEmpty()) {
        panels.computeIfAbsent(row.unit(), u -> new ArrayList<>()).add(row);
      }
    }
    StringBuilder body = new StringBuilder();
    int y = 70;
    for (Map.Entry<String, List<Row>> panel : panels.entrySet()) {
      y = panel(body, panel.getKey(), panel.getValue(), y) + PANEL_GAP;
    }
    StringBuilder svg = new StringBuilder();
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                y,
                WIDTH,
                y))
        .append(
            String.format(
                Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, y))
        .append("<text x=\"10\" y=\"22\" font-size=\"16\" font-weight=\"bold\">")
        .append(escape(title))
        .append("</text>\n");
    legend(svg);
    svg.append(body).append("</svg>\n");
    return svg.toString();
  }

  private void legend(StringBuilder svg) {
    int x = 10;
    for (String system : systems) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"legend\" x=\"%d\" y=\"34\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"45\">%s</text>%n",
              x,
              colour(system),
              x + 16,
              escape(system)));
      x += 24 + 8 * system.length();
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"45\" fill=\"#555555\">one panel per unit; each panel's bars on"
                + " one linear scale from zero</text>%n",
            x + 16));
  }

  /** Draws one panel from {@code top}; returns the y below it. */
  private int panel(StringBuilder svg, String unit, List<Row> rows, int top) {
    double max = 0;
    for (Row row : rows) {
      for (double value : drawn(row).values()) {
        max = Math.max(max, value);
      }
    }
    boolean higher = rows.stream().allMatch(Row::higherIsBetter);
    boolean lower = rows.stream().noneMatch(Row::higherIsBetter);
    String direction = higher ? " (higher is better)" : lower ? " (lower is better)" : "";
    svg.append(String.format(Locale.ROOT, "<g class=\"panel\" data-unit=\"%s\">%n", escape(unit)));
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"10\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#cccccc\"/>%n"
                + "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
            top,
            WIDTH - 10,
            top,
            top + 18,
            escape(unit + direction)));
    int y = top + PANEL_HEADER;
    for (Row row : rows) {
      Map<String, Double> values = drawn(row);
      int groupHeight = values.size() * (BAR_HEIGHT + BAR_GAP) - BAR_GAP;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
              LABEL_WIDTH - 8,
              y + groupHeight / 2 + 4,
              escape(row.label())));
      for (Map.Entry<String, Double> value : values.entrySet()) {
        double width = max > 0 ? value.getValue() / max * BAR_AREA : 0;
        svg.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"bar\" data-workload=\"%s\" data-system=\"%s\" x=\"%d\" y=\"%d\""
                    + " width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s %s: %s %s</title></rect>"
                    + "<text x=\"%.1f\" y=\"%d\">%s</text>%n",
                escape(row.workload()),
                escape(value.getKey()),
                LABEL_WIDTH,
                y,
                width,
                BAR_HEIGHT,
                colour(value.getKey()),
                escape(row.workload()),
                escape(value.getKey()),
                ResultTable.number(value.getValue()),
                escape(unit),
                LABEL_WIDTH + width + 4,
                y + BAR_HEIGHT - 3,
                ResultTable.number(value.getValue())));
        y += BAR_HEIGHT + BAR_GAP;
      }
      y += GROUP_GAP - BAR_GAP;
    }
    svg.append("</g>\n");
    return y;
  }

  /** The figures of a row that get a bar, in the systems' order: measured, finite, not negative. */
  private Map<String, Double> drawn(Row row) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (String system : systems) {
      Double value = row.values().get(system);
      if (value != null && Double.isFinite(value) && value >= 0) {
        values.put(system, value);
      }
    }
    return values;
  }

  private static String colour(String system) {
    return COLOURS.getOrDefault(system, OTHER_COLOUR);
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
