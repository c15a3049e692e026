package dev.lockstep.lock.table;

import java.util.List;
import java.util.Objects;

/**
 * A batch applied: one result per operation, in order, the session they were of, and the table's
 * revision after the batch.
 */
public record BatchAnswer(String session, List<BatchResult> results, long revision) {
  public BatchAnswer {
    Objects.requireNonNull(session, "session");
    results = List.copyOf(results);
  }
}
