package dev.lockstep.web.resource;

import dev.lockstep.api.ClusterView;
import dev.lockstep.lock.LockService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The server's group: answered by every member, active or standby, so clients can find the one. */
@Path("cluster")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Cluster")
public class ClusterResource {
  @Inject LockService locks;

  @GET
  @Operation(
      summary = "This server's group",
      description =
          "This server (self, url, role: active, standby or single), the active one as the leader"
              + " row last said (active, leader URL), the epoch, and the members seen lately.")
  public ClusterView cluster() {
    return locks.cluster();
  }
}
