package dev.lockstep.api;

import java.util.List;
import java.util.Objects;

/**
 * {@code GET /api/v1/cluster}: the server that answers ({@code self}, its advertised {@code url}
 * and its {@code role}: {@code active}, {@code standby} or {@code single}), the active one as the
 * leader row last said ({@code active} and {@code leader}, absent when none), the {@code epoch},
 * and the {@code members} that sent a heartbeat lately.
 */
public record ClusterView(
    String self,
    String url,
    String role,
    String active,
    String leader,
    long epoch,
    List<Member> members) {
  public ClusterView {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(role, "role");
    members = List.copyOf(members);
  }

  /** A server of the group and the base URL it advertises. */
  public record Member(String server, String url) {}
}
