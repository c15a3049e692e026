package dev.lockstep.api;

import java.util.List;

/**
 * Answer to {@code GET /api/v1/sessions}: one page of live sessions in id order. {@code total}
 * counts every live session, whatever the filter; {@code next} is the {@code after} of the next
 * page, absent on the last one.
 */
public record SessionList(List<SessionView> sessions, int total, String next) {
  public SessionList {
    sessions = List.copyOf(sessions);
  }
}
