package dev.lockstep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lockstep.api.HolderView;
import dev.lockstep.api.LockList;
import dev.lockstep.api.LockView;
import dev.lockstep.api.WaiterView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusTableTest {
  private static final Instant T = Instant.parse("2026-12-01T09:00:00Z");

  @Test
  void render_givesHoldersThenWaitersInOrder_withSessionNames() {
    LockList list =
        new LockList(
            List.of(
                new LockView(
                    "jobs/nightly",
                    LockView.HELD,
                    "exclusive",
                    List.of(new HolderView("s1", "host:1:main", 7, T)),
                    List.of(
                        new WaiterView("s2", "exclusive", T), new WaiterView("s3", "shared", T)),
                    9,
                    null),
                new LockView(
                    "jobs/report",
                    LockView.HELD,
                    "shared",
                    List.of(new HolderView("s2", "b", 8, T), new HolderView("s3", "c", 9, T)),
                    List.of(),
                    9,
                    null)),
            9);
    Map<String, String> names = Map.of("s1", "nightly", "s2", "worker-2");
    StatusReport report = StatusReport.of(list, id -> Optional.ofNullable(names.get(id)));

    assertEquals(
        String.join(
            "\n",
            "LOCK          MODE       ROLE      SESSION  SESSION NAME  OWNER        FENCING TOKEN",
            "jobs/nightly  exclusive  holder    s1       nightly       host:1:main  7",
            "              exclusive  waiter 1  s2       worker-2      -            -",
            "              shared     waiter 2  s3       -             -            -",
            "jobs/report   shared     holder    s2       worker-2      b            8",
            "              shared     holder    s3       -             c            9",
            "revision 9",
            ""),
        StatusTable.render(report));
  }

  @Test
  void render_whenNothingIsHeld_saysSo() {
    assertEquals(
        "no lock is held or queued (revision 3)\n",
        StatusTable.render(StatusReport.of(new LockList(List.of(), 3), id -> Optional.empty())));
  }

  @Test
  void of_asksEachSessionsNameOnce() {
    List<String> asked = new ArrayList<>();
    LockList list =
        new LockList(
            List.of(
                new LockView(
                    "a",
                    LockView.HELD,
                    "shared",
                    List.of(new HolderView("s1", "o", 1, T)),
                    List.of(new WaiterView("s1", "exclusive", T)),
                    2,
                    null)),
            2);
    StatusReport.of(
        list,
        id -> {
          asked.add(id);
          return Optional.of("n");
        });
    assertEquals(List.of("s1"), asked);
  }
}
