package dev.lockstep.cli;

import dev.lockstep.api.HolderView;
import dev.lockstep.api.LockList;
import dev.lockstep.api.LockView;
import dev.lockstep.api.WaiterView;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What {@code lockstep status} shows: the server's lock views with each session's name beside its
 * id, as one JSON document ({@code --json}) or as {@link StatusTable}'s rows.
 */
@JsonbPropertyOrder({"locks", "revision"})
public record StatusReport(List<LockStatus> locks, long revision) {
  public StatusReport {
    locks = List.copyOf(locks);
  }

  @JsonbPropertyOrder({"name", "state", "mode", "holders", "waiters"})
  public record LockStatus(
      String name, String state, String mode, List<Holder> holders, List<Waiter> waiters) {
    public LockStatus {
      holders = List.copyOf(holders);
      waiters = List.copyOf(waiters);
    }
  }

  /** A holder; {@code sessionName} is absent for an unnamed (or just ended) session. */
  @JsonbPropertyOrder({"session", "sessionName", "owner", "fencingToken", "since"})
  public record Holder(
      String session, String sessionName, String owner, long fencingToken, Instant since) {}

  /** A waiter, in queue order. */
  @JsonbPropertyOrder({"session", "sessionName", "mode", "since"})
  public record Waiter(String session, String sessionName, String mode, Instant since) {}

  /**
   * The report of {@code list}, with names from {@code sessionName}, asked once per session (one
   * HTTP read each: a listing names each session as often as it holds or waits).
   */
  static StatusReport of(LockList list, Function<String, Optional<String>> sessionName) {
    Map<String, Optional<String>> names = new HashMap<>();
    Function<String, String> nameOf = id -> names.computeIfAbsent(id, sessionName).orElse(null);
    List<LockStatus> locks = list.locks().stream().map(view -> lock(view, nameOf)).toList();
    return new StatusReport(locks, list.revision());
  }

  private static LockStatus lock(LockView view, Function<String, String> nameOf) {
    List<Holder> holders =
        view.holders().stream().map((HolderView h) -> holder(h, nameOf)).toList();
    List<Waiter> waiters =
        view.waiters().stream()
            .map(
                (WaiterView w) ->
                    new Waiter(w.session(), nameOf.apply(w.session()), w.mode(), w.since()))
            .toList();
    return new LockStatus(view.name(), view.state(), view.mode(), holders, waiters);
  }

  private static Holder holder(HolderView h, Function<String, String> nameOf) {
    return new Holder(
        h.session(), nameOf.apply(h.session()), h.owner(), h.fencingToken(), h.since());
  }
}
