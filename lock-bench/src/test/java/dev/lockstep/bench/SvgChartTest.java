package dev.lockstep.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.bench.ResultTable.Row;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgChartTest {
  private static final List<String> SYSTEMS = List.of("lockstep", "zookeeper", "etcd");
  private static final String SVG = "http://www.w3.org/2000/svg";

  private static Map<String, Double> values(double ls, double zk, double etcd) {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("lockstep", ls);
    values.put("zookeeper", zk);
    values.put("etcd", etcd);
    return values;
  }

  private static final List<Row> ROWS =
      List.of(
          new Row(
              "uncontended", "uncontended: 16 clients", "cycles/s", true, values(1852, 9844, 4284)),
          new Row(
              "uncontended-shared",
              "shared <one> client & 16 \"threads\"",
              "cycles/s",
              true,
              values(4000, 6000, 3000)),
          new Row(
              "server-cpu-uncontended",
              "server CPU per cycle",
              "us/cycle",
              false,
              Map.of("lockstep", 400.0, "zookeeper", 160.0)),
          new Row("acquire-free-p50", "acquire p50", "ms", false, values(0.9, 0.24, 0.29)),
          new Row("watch-delay-p99", "watchers p99", "ms", false, Map.of("lockstep", 22.5)),
          new Row("handoff-p99", "hand-off p99", "ms", false, values(4.4, Double.NaN, 99)));

  @Test
  void isWellFormedSvgWithOneBarPerFigure() throws Exception {
    Document svg = parse(new SvgChart(SYSTEMS).render("quick run & <title>", ROWS));
    assertEquals("svg", svg.getDocumentElement().getLocalName());
    assertEquals(SVG, svg.getDocumentElement().getNamespaceURI());
    List<Element> bars = bars(svg);
    // 3 + 3 + 2 + 3 + 1 + 2 (the NaN gets no bar)
    assertEquals(14, bars.size());
    Set<String> seen = new HashSet<>();
    for (Element bar : bars) {
      assertTrue(
          seen.add(bar.getAttribute("data-workload") + "/" + bar.getAttribute("data-system")));
    }
    for (Row row : ROWS) {
      row.values()
          .forEach(
              (system, value) ->
                  assertEquals(
                      !value.isNaN(),
                      seen.contains(row.workload() + "/" + system),
                      row.workload() + "/" + system));
    }
  }

  @Test
  void printsEachValueAndEscapesLabels() throws Exception {
    Document svg = parse(new SvgChart(SYSTEMS).render("quick run & <title>", ROWS));
    List<String> texts = new ArrayList<>();
    NodeList nodes = svg.getElementsByTagNameNS(SVG, "text");
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent());
    }
    assertTrue(texts.contains("quick run & <title>"), texts.toString());
    assertTrue(texts.contains("shared <one> client & 16 \"threads\""), texts.toString());
    for (String printed : List.of("1852", "9844", "4284", "0.900", "0.240", "22.500", "99.000")) {
      assertTrue(texts.contains(printed), printed + " in " + texts);
    }
  }

  @Test
  void drawsOnePanelPerUnitEachScaledToItsLargestFigure() throws Exception {
    Document svg = parse(new SvgChart(SYSTEMS).render("t", ROWS));
    NodeList panels = svg.getElementsByTagNameNS(SVG, "g");
    List<String> units = new ArrayList<>();
    for (int i = 0; i < panels.getLength(); i++) {
      units.add(((Element) panels.item(i)).getAttribute("data-unit"));
    }
    assertEquals(List.of("cycles/s", "us/cycle", "ms"), units);
    Map<String, Double> widths = new HashMap<>();
    for (Element bar : bars(svg)) {
      widths.put(
          bar.getAttribute("data-workload") + "/" + bar.getAttribute("data-system"),
          Double.parseDouble(bar.getAttribute("width")));
    }
    double full = widths.get("uncontended/zookeeper");
    assertEquals(full, widths.get("server-cpu-uncontended/lockstep"), 0.1);
    assertEquals(full, widths.get("handoff-p99/etcd"), 0.1);
    assertEquals(full * 1852 / 9844, widths.get("uncontended/lockstep"), 0.1);
    assertEquals(full * 160 / 400, widths.get("server-cpu-uncontended/zookeeper"), 0.1);
    assertEquals(full * 22.5 / 99, widths.get("watch-delay-p99/lockstep"), 0.1);
  }

  @Test
  void givesEachSystemItsOwnColour() throws Exception {
    Document svg = parse(new SvgChart(SYSTEMS).render("t", ROWS));
    Map<String, Set<String>> colours = new HashMap<>();
    for (Element bar : bars(svg)) {
      colours
          .computeIfAbsent(bar.getAttribute("data-system"), s -> new HashSet<>())
          .add(bar.getAttribute("fill"));
    }
    assertEquals(SYSTEMS.size(), colours.size());
    Set<String> all = new HashSet<>();
    colours.values().forEach(c -> assertEquals(1, c.size()));
    colours.values().forEach(all::addAll);
    assertEquals(SYSTEMS.size(), all.size());
  }

  private static List<Element> bars(Document svg) {
    List<Element> bars = new ArrayList<>();
    NodeList rects = svg.getElementsByTagNameNS(SVG, "rect");
    for (int i = 0; i < rects.getLength(); i++) {
      Element rect = (Element) rects.item(i);
      if (rect.getAttribute("class").equals("bar")) {
        bars.add(rect);
      }
    }
    return bars;
  }

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }
}
