package dev.lockstep.api;

import java.util.List;
import java.util.Optional;

/**
 * An RFC 9457 problem document. {@code holders} and {@code waiters} are present on lock conflicts,
 * {@code cycle} on deadlocks, {@code errorId} on internal errors (it names the log entry), {@code
 * leader} on not-leader answers when the active server is known (its base URL); absent fields are
 * omitted from the JSON.
 */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String lock,
    List<HolderView> holders,
    List<WaiterView> waiters,
    List<String> cycle,
    String errorId,
    String leader) {

  public static Problem of(ProblemType type, String detail) {
    return of(type, type.status(), detail);
  }

  /**
   * A problem of {@code type} answered with {@code status}: one of the statuses the type stands for
   * (such as a 4xx that the web container chose and {@link ProblemType#forStatus} named).
   */
  public static Problem of(ProblemType type, int status, String detail) {
    return new Problem(
        type.uri().toString(), type.title(), status, detail, null, null, null, null, null, null);
  }

  public static Problem conflict(ProblemType type, String detail, LockView view) {
    return of(type, detail).about(view, null);
  }

  /** A refused wait that would close a deadlock; {@code cycle} alternates session and lock. */
  public static Problem deadlock(String detail, LockView view, List<String> cycle) {
    return of(ProblemType.DEADLOCK, detail).about(view, cycle);
  }

  private Problem about(LockView view, List<String> cycle) {
    return new Problem(
        type,
        title,
        status,
        detail,
        view.name(),
        view.holders(),
        view.waiters(),
        cycle,
        errorId,
        leader);
  }

  public Problem withErrorId(String id) {
    return new Problem(type, title, status, detail, lock, holders, waiters, cycle, id, leader);
  }

  /** A not-leader answer, naming the active server's base URL when it is known. */
  public static Problem notLeader(String detail, Optional<String> leader) {
    Problem p = of(ProblemType.NOT_LEADER, detail);
    return new Problem(
        p.type, p.title, p.status, detail, null, null, null, null, null, leader.orElse(null));
  }
}
