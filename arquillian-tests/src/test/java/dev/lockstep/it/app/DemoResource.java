package dev.lockstep.it.app;

import dev.lockstep.client.LockClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The demo application's HTTP face, so that the test drives it like a user would. */
@Path("test-app")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class DemoResource {
  @Inject DemoJobs jobs;

  @Inject LockClient locks;

  @POST
  @Path("jobs/{id}")
  public String run(@PathParam("id") String id, @QueryParam("millis") long millis)
      throws InterruptedException {
    return "{\"fencingToken\":" + jobs.run(id, millis) + "}";
  }

  @GET
  @Path("jobs/{id}/most-at-once")
  public String mostAtOnce(@PathParam("id") String id) {
    return "{\"mostAtOnce\":" + jobs.mostAtOnce(id) + "}";
  }

  /** The injected client's view of a lock and of its own session. */
  @GET
  @Path("client")
  public String client(@QueryParam("lock") String lock) {
    return "{\"held\":" + locks.isLocked(lock) + ",\"session\":\"" + locks.sessionState() + "\"}";
  }
}
