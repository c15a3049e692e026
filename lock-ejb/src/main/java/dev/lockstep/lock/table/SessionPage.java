package dev.lockstep.lock.table;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of the live sessions, in id order: {@code total} counts every live session whatever the
 * filter, {@code next} is the id to page on from (the last one of this page) when more may follow.
 */
public record SessionPage(List<SessionSnapshot> sessions, int total, Optional<String> next) {
  public SessionPage {
    sessions = List.copyOf(sessions);
    Objects.requireNonNull(next, "next");
  }
}
