package dev.lockstep.web.batch;

import dev.lockstep.lock.table.BatchAnswer;
import dev.lockstep.lock.table.BatchRequest;
import java.util.ArrayList;
import java.util.List;

/** The answer to {@code POST /api/v1/batch}: one result per operation, in order. */
public record BatchAnswerView(List<OperationAnswer> results, long revision) {

  public static BatchAnswerView of(BatchRequest request, BatchAnswer answer) {
    List<OperationAnswer> results = new ArrayList<>(answer.results().size());
    for (int i = 0; i < answer.results().size(); i++) {
      results.add(OperationAnswer.of(request.operations().get(i), answer.results().get(i)));
    }
    return new BatchAnswerView(results, answer.revision());
  }
}
