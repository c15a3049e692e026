package dev.lockstep.web.resource;

import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.GrantChannel;
import dev.lockstep.lock.LockService;
import dev.lockstep.lock.table.LockTableException;
import dev.lockstep.web.batch.ChannelAnswer;
import dev.lockstep.web.request.Bearer;
import dev.lockstep.web.request.JsonBody;
import dev.lockstep.web.request.Names;
import dev.lockstep.web.wait.Resumer;
import dev.lockstep.web.wait.Resumption;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A session's grant channel: the endings of the waits its batches queued, as a long poll. */
@Path("sessions/{id}/grants")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions")
public class GrantChannelResource {
  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(25);
  private static final Duration MAX_WAIT = Duration.ofSeconds(60);

  @Inject LockService locks;

  @Inject Resumer resumer;

  @GET
  @SecurityRequirement(name = "session")
  @Operation(
      summary = "Read the session's grant channel",
      description =
          "Every ending with seq > after (default 0), in order; if there is none, waits up to"
              + " wait (default PT25S, at most PT60S) for one. reset is true when after is not one"
              + " the server can answer from (after a restart, or older than the 1024 kept).")
  @APIResponse(
      responseCode = "200",
      description = "The endings",
      content = @Content(schema = @Schema(implementation = ChannelAnswer.class)))
  @APIResponse(responseCode = "400", description = "Bad after or wait")
  @APIResponse(responseCode = "401", description = "Missing or wrong token")
  @APIResponse(responseCode = "403", description = "Another session's token")
  @APIResponse(responseCode = "404", description = "Expired or never existed")
  @APIResponse(responseCode = "429", description = "Too many polls waiting (4 per session)")
  public void poll(
      @PathParam("id") String id,
      @QueryParam("after") String rawAfter,
      @QueryParam("wait") String rawWait,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Suspended AsyncResponse response) {
    try {
      long after = Names.sequence("after", rawAfter);
      Duration wait = rawWait == null ? DEFAULT_WAIT : JsonBody.parseDuration("wait", rawWait);
      if (wait.compareTo(MAX_WAIT) > 0) {
        throw new LockTableException(
            ProblemType.BAD_REQUEST, "wait " + wait + " is outside [PT0S, " + MAX_WAIT + "]");
      }
      // An ending that comes later is delivered on the thread of the request that ended the wait:
      // the answer then hops off it (Resumer). Answered at once, or by the timeout, it stays.
      Resumption resumption = new Resumption(resumer);
      GrantChannel.Poll poll =
          resumption.inline(
              () ->
                  locks.pollGrants(
                      id,
                      Bearer.presented(authorization),
                      after,
                      read ->
                          resumption.execute(
                              () -> response.resume(Response.ok(ChannelAnswer.of(read)).build()))));
      if (wait.isZero()) {
        resumption.inline(poll::expire);
        return;
      }
      response.setTimeoutHandler(timedOut -> resumption.inline(poll::expire));
      try {
        // In whole milliseconds, rounded up: to Servlet async a timeout of 0 is none at all, so a
        // wait under a millisecond truncated to 0 held the poll until an ending came.
        response.setTimeout(wait.plusNanos(999_999).toMillis(), TimeUnit.MILLISECONDS);
      } catch (IllegalStateException answered) {
        // An ending answered the poll since it was made: there is nothing left to time out.
      }
    } catch (RuntimeException e) {
      response.resume(e);
    }
  }
}
