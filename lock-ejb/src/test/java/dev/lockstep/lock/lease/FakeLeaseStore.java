package dev.lockstep.lock.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The leader row's rules in memory, with the database's clock given by the test. */
final class FakeLeaseStore implements LeaseStore {
  private final Clock databaseClock;
  private long epoch;
  private String holder = "";
  private Optional<String> url = Optional.empty();
  private Instant expiresAt = Instant.MIN;
  private final Map<String, String> members = new LinkedHashMap<>();
  boolean unreachable;

  FakeLeaseStore(Clock databaseClock) {
    this.databaseClock = databaseClock;
  }

  @Override
  public synchronized LeaderRecord claim(
      String server, String advertisedUrl, long knownEpoch, Duration length) {
    reachable();
    Instant now = databaseClock.instant();
    boolean renewal = holder.equals(server) && epoch == knownEpoch;
    if (holder.equals(server) || !expiresAt.isAfter(now)) {
      epoch = renewal ? epoch : epoch + 1;
      holder = server;
      url = Optional.of(advertisedUrl);
      expiresAt = now.plus(length);
    }
    return new LeaderRecord(epoch, holder, url);
  }

  @Override
  public synchronized Optional<LeaderRecord> read() {
    reachable();
    return holder.isEmpty() ? Optional.empty() : Optional.of(new LeaderRecord(epoch, holder, url));
  }

  @Override
  public synchronized void heartbeat(String server, String advertisedUrl) {
    reachable();
    members.put(server, advertisedUrl);
  }

  @Override
  public synchronized List<Member> members(Duration within) {
    List<Member> all = new ArrayList<>();
    members.forEach((s, u) -> all.add(new Member(s, u)));
    return all;
  }

  @Override
  public synchronized void release(String server, long heldEpoch) {
    reachable();
    if (holder.equals(server) && epoch == heldEpoch) {
      expiresAt = Instant.MIN;
    }
  }

  synchronized long epoch() {
    return epoch;
  }

  @Override
  public void close() {}

  private void reachable() {
    if (unreachable) {
      throw new LeaseStoreException("the test cut the database off", null);
    }
  }
}
