package dev.lockstep.it.crash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The resource the crash test's locks guard, playing the storage that checks fencing tokens.
 *
 * <p>Per lock it keeps the highest token it has accepted and the tenure currently in it. A holder
 * enters right after its grant is answered, writes its token while it holds, and leaves
 * <em>before</em> it sends the release: so in a correct run the next holder, granted only after
 * that release, always finds the lock's slot empty, whatever a crash did to the release on its way.
 *
 * <p>The rule: a write whose token is lower than the highest accepted is refused (that is what
 * fencing is for); a write with the highest token from another tenure means one token was handed to
 * two grants. Both, and a holder entering while another tenure is still in, are incidents. An
 * incident is a mutual-exclusion violation unless the superseded tenure's session had legitimately
 * expired (TTL and grace period passed; after a {@code kill -9} that may happen to a holder that
 * could not keep alive): then the server was right to grant again, and fencing alone keeps the
 * resource safe. A duplicate token is a violation always.
 */
final class FencedResource {
  /** One holder's time in the resource: from its grant's answer to just before its release. */
  record Tenure(String lock, String client, String session, long token) {}

  /** Something the resource saw that a correct lock service never causes. */
  record Incident(String kind, Tenure superseded, Tenure by) {}

  private final Map<String, Long> highest = new HashMap<>();
  private final Map<String, Tenure> highestBy = new HashMap<>();
  private final Map<String, Tenure> inside = new HashMap<>();
  private final Map<String, String> lastClient = new HashMap<>();
  private final List<Incident> incidents = new ArrayList<>();
  private long handoffs;
  private long acceptedWrites;
  private long refusedWrites;

  /** A holder comes in with its grant; its first write is part of coming in. */
  synchronized boolean enter(Tenure tenure) {
    Tenure present = inside.get(tenure.lock());
    if (present != null && !present.equals(tenure)) {
      incidents.add(new Incident("overlap", present, tenure));
    }
    inside.put(tenure.lock(), tenure);
    String previous = lastClient.put(tenure.lock(), tenure.client());
    if (previous != null && !previous.equals(tenure.client())) {
      handoffs++;
    }
    return write(tenure);
  }

  /** The guarded write: accepted unless a higher token has been seen for the lock. */
  synchronized boolean write(Tenure tenure) {
    long top = highest.getOrDefault(tenure.lock(), Long.MIN_VALUE);
    if (tenure.token() < top) {
      refusedWrites++;
      incidents.add(new Incident("fenced", tenure, highestBy.get(tenure.lock())));
      return false;
    }
    Tenure topTenure = highestBy.get(tenure.lock());
    if (tenure.token() == top && !sameGrant(topTenure, tenure)) {
      incidents.add(new Incident("duplicate-token", topTenure, tenure));
    }
    highest.put(tenure.lock(), tenure.token());
    highestBy.put(tenure.lock(), tenure);
    acceptedWrites++;
    return true;
  }

  /** The holder leaves, before it sends its release. */
  synchronized void leave(Tenure tenure) {
    inside.remove(tenure.lock(), tenure);
  }

  /** Incidents that are violations, given the sessions that expired legitimately. */
  synchronized List<Incident> violations(Set<String> legitimatelyExpiredSessions) {
    return incidents.stream()
        .filter(
            i ->
                i.kind().equals("duplicate-token")
                    || !legitimatelyExpiredSessions.contains(i.superseded().session()))
        .toList();
  }

  /** The tenures in the resource now: holders whose grant was answered and who did not leave. */
  synchronized List<Tenure> inside() {
    return List.copyOf(inside.values());
  }

  synchronized List<Incident> incidents() {
    return List.copyOf(incidents);
  }

  synchronized long handoffs() {
    return handoffs;
  }

  synchronized long acceptedWrites() {
    return acceptedWrites;
  }

  synchronized long refusedWrites() {
    return refusedWrites;
  }

  /** The same grant, entered again after a crash made its answer uncertain. */
  private static boolean sameGrant(Tenure a, Tenure b) {
    return a != null && a.session().equals(b.session()) && a.token() == b.token();
  }
}
