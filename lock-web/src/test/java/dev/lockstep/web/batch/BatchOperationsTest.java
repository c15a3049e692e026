package dev.lockstep.web.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.BatchOperation;
import dev.lockstep.lock.table.BatchOperation.Acquire;
import dev.lockstep.lock.table.BatchOperation.Cancel;
import dev.lockstep.lock.table.BatchOperation.KeepAlive;
import dev.lockstep.lock.table.BatchOperation.Release;
import dev.lockstep.lock.table.BatchOperation.Unreadable;
import dev.lockstep.lock.table.BatchOperation.Withdraw;
import dev.lockstep.lock.table.BatchRequest;
import dev.lockstep.lock.table.LockTableException;
import dev.lockstep.web.request.JsonBody;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A batch body read into operations: each operation's bad input is its own problem. */
class BatchOperationsTest {

  private static BatchRequest read(String json) {
    return BatchOperations.read(
        JsonBody.read(
            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
            "application/json",
            Set.of("operations")));
  }

  private static List<BatchOperation> operations(String... operations) {
    return read("{\"operations\":[" + String.join(",", operations) + "]}").operations();
  }

  @Test
  void read_ofEachOp_givesTheSingleCallsInput() {
    List<BatchOperation> read =
        operations(
            "{\"op\":\"acquire\",\"name\":\"jobs/a\",\"mode\":\"shared\",\"wait\":\"PT5S\","
                + "\"owner\":\"h:1:t\",\"requestId\":\"r1\"}",
            "{\"op\":\"acquire\",\"name\":\"jobs/a\",\"waitMillis\":250}",
            "{\"op\":\"release\",\"name\":\"jobs/b\"}",
            "{\"op\":\"withdraw\",\"name\":\"jobs/c\"}",
            "{\"op\":\"cancel\",\"name\":\"jobs/d\",\"requestId\":\"r0\"}",
            "{\"op\":\"keepalive\"}");

    LockName a = new LockName("jobs/a");
    assertEquals(
        List.of(
            new Acquire(a, LockMode.SHARED, "h:1:t", Duration.ofSeconds(5), "r1"),
            new Acquire(a, LockMode.EXCLUSIVE, null, Duration.ofMillis(250), null),
            new Release(new LockName("jobs/b")),
            new Withdraw(new LockName("jobs/c")),
            new Cancel(new LockName("jobs/d"), "r0"),
            new KeepAlive()),
        read);
  }

  @Test
  void read_ofABadOperation_isThatOperationsProblem_andTheOthersAreRead() {
    List<BatchOperation> read =
        operations(
            "{\"op\":\"acquire\",\"name\":\"jobs/a\",\"mode\":\"both\"}",
            "{\"op\":\"release\",\"name\":\"jobs/a\",\"mode\":\"shared\"}",
            "{\"op\":\"fly\",\"name\":\"jobs/a\"}",
            "{\"name\":\"jobs/a\"}",
            "[1]",
            "{\"op\":\"release\",\"name\":\"/bad\"}",
            "{\"op\":\"release\"}",
            "{\"op\":\"cancel\",\"name\":\"jobs/a\"}",
            "{\"op\":\"acquire\",\"name\":\"jobs/a\",\"wait\":\"PT1M-1S\"}",
            "{\"op\":\"keepalive\",\"session\":7}",
            "{\"op\":\"release\",\"name\":\"jobs/a\"}");

    for (BatchOperation operation : read.subList(0, 10)) {
      Unreadable bad = assertInstanceOf(Unreadable.class, operation, operation.toString());
      assertEquals(ProblemType.BAD_REQUEST, bad.problem().type());
    }
    assertTrue(
        ((Unreadable) read.get(1)).problem().getMessage().contains("unknown field 'mode'"),
        "a release does not know an acquire's fields");
    assertEquals(new Release(new LockName("jobs/a")), read.get(10));
  }

  @Test
  void read_collectsTheSessionsNamed_evenByAnOperationOtherwiseBad() {
    BatchRequest request =
        read(
            "{\"operations\":[{\"op\":\"keepalive\",\"session\":\"s1\"},"
                + "{\"op\":\"fly\",\"session\":\"s2\"}]}");

    assertEquals(Set.of("s1", "s2"), request.sessionsNamed());
  }

  @Test
  void read_ofNoBatch_isRefusedWhole() {
    for (String body : List.of("{}", "{\"operations\":{}}", "{\"operations\":[]}", "{\"x\":1}")) {
      LockTableException refused = assertThrows(LockTableException.class, () -> read(body), body);
      assertEquals(ProblemType.BAD_REQUEST, refused.type());
    }
  }
}
