package dev.lockstep.lock.table;

import dev.lockstep.api.ProblemType;
import java.util.List;
import java.util.Set;

/**
 * A batch as received: its operations in order, and the session ids its operations named (an
 * operation may say whose it is; every one must be the token's). Between 1 and {@link
 * TableLimits#MAX_BATCH_OPERATIONS} operations, else {@code bad-request}.
 */
public record BatchRequest(List<BatchOperation> operations, Set<String> sessionsNamed) {
  public BatchRequest {
    operations = List.copyOf(operations);
    sessionsNamed = Set.copyOf(sessionsNamed);
    if (operations.isEmpty() || operations.size() > TableLimits.MAX_BATCH_OPERATIONS) {
      throw new LockTableException(
          ProblemType.BAD_REQUEST,
          "a batch has 1 to "
              + TableLimits.MAX_BATCH_OPERATIONS
              + " operations, not "
              + operations.size());
    }
  }
}
