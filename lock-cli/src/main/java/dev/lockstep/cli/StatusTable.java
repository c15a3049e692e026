package dev.lockstep.cli;

import dev.lockstep.cli.StatusReport.Holder;
import dev.lockstep.cli.StatusReport.LockStatus;
import dev.lockstep.cli.StatusReport.Waiter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link StatusReport} as a table for people: one row per holder, then one per waiter in queue
 * order, the lock's name on its first row only so that each lock reads as a block.
 */
final class StatusTable {
  private static final List<String> HEADER =
      List.of("LOCK", "MODE", "ROLE", "SESSION", "SESSION NAME", "OWNER", "FENCING TOKEN");
  private static final String NONE = "-";

  private StatusTable() {}

  static String render(StatusReport report) {
    if (report.locks().isEmpty()) {
      return "no lock is held or queued (revision " + report.revision() + ")\n";
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (LockStatus lock : report.locks()) {
      String name = lock.name();
      for (Holder h : lock.holders()) {
        rows.add(
            List.of(
                name,
                orNone(lock.mode()),
                "holder",
                h.session(),
                orNone(h.sessionName()),
                orNone(h.owner()),
                Long.toString(h.fencingToken())));
        name = "";
      }
      int place = 1;
      for (Waiter w : lock.waiters()) {
        rows.add(
            List.of(
                name,
                orNone(w.mode()),
                "waiter " + place++,
                w.session(),
                orNone(w.sessionName()),
                NONE,
                NONE));
        name = "";
      }
    }
    return format(rows) + "revision " + report.revision() + "\n";
  }

  private static String format(List<List<String>> rows) {
    int[] widths = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i));
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  private static String orNone(String text) {
    return text == null || text.isEmpty() ? NONE : text;
  }
}
