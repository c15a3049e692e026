package dev.lockstep.web.resource;

import dev.lockstep.api.FencingCheck;
import dev.lockstep.api.GrantView;
import dev.lockstep.api.LockList;
import dev.lockstep.api.LockMode;
import dev.lockstep.api.LockName;
import dev.lockstep.api.LockView;
import dev.lockstep.api.Problem;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.LockService;
import dev.lockstep.lock.table.AcquireResult;
import dev.lockstep.lock.table.BatchOperation.Acquire;
import dev.lockstep.lock.table.LockTableException;
import dev.lockstep.web.problem.ProblemResponse;
import dev.lockstep.web.problem.Problems;
import dev.lockstep.web.request.Bearer;
import dev.lockstep.web.request.JsonBody;
import dev.lockstep.web.request.Names;
import dev.lockstep.web.request.RequestMediaTypes;
import dev.lockstep.web.wait.ClientDisconnects;
import dev.lockstep.web.wait.Resumer;
import dev.lockstep.web.wait.WaitingResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Locks: acquire (possibly waiting in line), release, read, list and check a fencing token. */
@Path("locks")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Locks")
public class LockResource {
  public static final Set<String> ACQUIRE_FIELDS =
      Set.of("mode", "wait", "waitMillis", "owner", "requestId");

  /** How long past its wait a suspended request may stay before it is answered anyway. */
  private static final Duration SAFETY_MARGIN = Duration.ofSeconds(10);

  @Inject LockService locks;

  @Inject ClientDisconnects disconnects;

  @Inject Resumer resumer;

  @PUT
  @Path("{name: .+}")
  @Consumes(RequestMediaTypes.ANY_BODY)
  @SecurityRequirement(name = "session")
  @Operation(
      summary = "Acquire a lock",
      description =
          "Body (all optional): {\"mode\":\"exclusive\"|\"shared\",\"wait\":\"PT5S\","
              + "\"owner\":\"host:pid:thread\",\"requestId\":\"...\"}. Grants at once when free and no one waits; else waits"
              + " in the lock's FIFO queue for up to `wait` without holding a server thread. A client"
              + " that disconnects leaves the queue. Re-acquiring in the same mode returns the same"
              + " grant.")
  @RequestBody(
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = AcquireBody.class)))
  @APIResponse(
      responseCode = "200",
      description = "Granted",
      content = @Content(schema = @Schema(implementation = GrantView.class)))
  @APIResponse(responseCode = "400", description = "Bad name, body, mode or wait")
  @APIResponse(responseCode = "401", description = "Missing or unknown session token")
  @APIResponse(
      responseCode = "409",
      description = "Not granted within wait; lists holders and waiters",
      content =
          @Content(
              mediaType = ProblemResponse.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "413", description = "Body over 64 KiB")
  @APIResponse(responseCode = "429", description = "Too many waiters on this lock")
  public Response acquire(
      @PathParam("name") String rawName,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      InputStream body,
      @Context HttpServletRequest servletRequest) {
    LockName name = Names.lock(rawName);
    Acquire asked = acquireOf(name, JsonBody.read(body, contentType, ACQUIRE_FIELDS));
    WaitingResponse waiting = new WaitingResponse(resumer);
    AcquireResult result =
        locks.acquire(
            Bearer.presented(authorization),
            name,
            asked.mode(),
            asked.owner(),
            asked.waitFor(),
            asked.requestId(),
            waiting);
    if (result instanceof AcquireResult.Granted granted) {
      return Response.ok(granted.grant().view()).build();
    }
    if (result instanceof AcquireResult.Conflict conflict) {
      return ProblemResponse.of(Problems.conflict(conflict));
    }
    // Only a queued request is suspended: Jersey suspends one whose entity is a CompletionStage
    // and answers it with the stage's value, so the answers above stay on this thread.
    waitInLine((AcquireResult.Queued) result, name, asked.waitFor(), servletRequest, waiting);
    return Response.ok(waiting.answer()).build();
  }

  /** An acquire's body as the lock table takes it; the batch reads its acquires with this too. */
  public static Acquire acquireOf(LockName name, JsonBody request) {
    LockMode mode = request.text("mode").map(Names::mode).orElse(LockMode.EXCLUSIVE);
    Duration wait = request.duration("wait").orElse(Duration.ZERO);
    String owner = request.text("owner").orElse(null);
    return new Acquire(name, mode, owner, wait, request.text("requestId").orElse(null));
  }

  private void waitInLine(
      AcquireResult.Queued queued,
      LockName name,
      Duration wait,
      HttpServletRequest servletRequest,
      WaitingResponse waiting) {
    // A client that goes away leaves the line at once; cancelWait is false when the wait had
    // already ended, and then the grant or refusal on its way is the answer.
    waiting.watchConnection(
        () ->
            disconnects.onClose(
                servletRequest,
                () -> {
                  if (locks.cancelWait(queued.waiterId())) {
                    waiting.cancel();
                  }
                }));
    // The lock table ends every wait at its deadline; this is only the net under that rule, so
    // that no client waits forever even if an ending were lost.
    ScheduledFuture<?> net =
        resumer.schedule(
            () -> {
              locks.cancelWait(queued.waiterId());
              waiting.answer(
                  ProblemResponse.of(
                      Problem.conflict(
                          ProblemType.CONFLICT, "not granted within the wait", locks.view(name))));
            },
            wait.plus(SAFETY_MARGIN));
    waiting.answer().whenComplete((answer, cancelled) -> net.cancel(false));
  }

  @DELETE
  @Path("{name: .+}")
  @SecurityRequirement(name = "session")
  @Operation(
      summary = "Release a lock, or withdraw a queued request",
      description =
          "Releases the session's hold and grants the next compatible waiters at once."
              + " With ?queued=true, withdraws the session's queued request instead (the waiting"
              + " request is answered 409): how a client cancels a wait. With ?request=ID, cancels"
              + " the session's acquire that carried requestId ID, whatever became of it: withdrawn"
              + " if queued, released if it was granted, refused if the server reads it later.")
  @APIResponse(responseCode = "204", description = "Released (or withdrawn)")
  @APIResponse(responseCode = "401", description = "Missing or unknown session token")
  @APIResponse(
      responseCode = "409",
      description = "This session does not hold the lock (or has no request queued for it)")
  public Response release(
      @PathParam("name") String rawName,
      @QueryParam("queued") String queued,
      @QueryParam("request") String request,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    LockName name = Names.lock(rawName);
    if (request != null) {
      if (queued != null) {
        throw new LockTableException(ProblemType.BAD_REQUEST, "give queued or request, not both");
      }
      locks.cancelRequest(Bearer.presented(authorization), name, request);
    } else if (queued == null || queued.equals("false")) {
      locks.release(Bearer.presented(authorization), name);
    } else if (queued.equals("true")) {
      locks.withdraw(Bearer.presented(authorization), name);
    } else {
      throw new LockTableException(ProblemType.BAD_REQUEST, "queued is true or false");
    }
    return Response.noContent().build();
  }

  @GET
  @Path("{name: .+}/fencing/{token}")
  @Operation(
      summary = "Check a fencing token",
      description = "valid while the token is the lock's current grant.")
  @APIResponse(
      responseCode = "200",
      description = "The answer",
      content = @Content(schema = @Schema(implementation = FencingCheck.class)))
  public FencingCheck fencing(@PathParam("name") String rawName, @PathParam("token") String token) {
    return new FencingCheck(locks.fencingValid(Names.lock(rawName), Names.fencingToken(token)));
  }

  @GET
  @Path("{name: .+}")
  @Operation(
      summary = "Read a lock",
      description =
          "A free lock is 200 with state free. The ETag"
              + " changes whenever holders or waiters change.")
  @APIResponse(
      responseCode = "200",
      description = "The lock",
      content = @Content(schema = @Schema(implementation = LockView.class)))
  @APIResponse(responseCode = "400", description = "Bad name")
  public Response read(@PathParam("name") String rawName) {
    LockView view = locks.view(Names.lock(rawName));
    return Response.ok(view).tag(etagOf(view)).build();
  }

  @GET
  @Operation(
      summary = "List locks",
      description =
          "Locks that are held or have waiters, by name, whose name starts with prefix; with"
              + " delayed=true also the locks a lock-delay blocks (their blockedUntil is set).")
  @APIResponse(
      responseCode = "200",
      description = "The locks",
      content = @Content(schema = @Schema(implementation = LockList.class)))
  public LockList list(@QueryParam("prefix") String prefix, @QueryParam("delayed") String delayed) {
    if (prefix != null && prefix.length() > LockName.MAX_LENGTH) {
      throw new LockTableException(
          ProblemType.BAD_REQUEST, "prefix is longer than " + LockName.MAX_LENGTH + " characters");
    }
    return locks.list(prefix == null ? "" : prefix, Names.flag("delayed", delayed));
  }

  /** The representation without the server-wide revision, which moves with every other lock. */
  private static EntityTag etagOf(LockView view) {
    int hash =
        Objects.hash(
            view.name(),
            view.state(),
            view.mode(),
            view.holders(),
            view.waiters(),
            view.blockedUntil());
    return new EntityTag(Integer.toHexString(hash));
  }

  /** The documented shape of the acquire body, for OpenAPI only ("wait" cannot be a record's). */
  public static class AcquireBody {
    @Schema(
        enumeration = {"exclusive", "shared"},
        defaultValue = "exclusive")
    public String mode;

    @Schema(description = "ISO-8601 duration to wait in line", defaultValue = "PT0S")
    public String wait;

    @Schema(description = "the same wait as integer milliseconds; not together with wait")
    public Long waitMillis;

    @Schema(description = "who in the session holds it, e.g. host:pid:thread")
    public String owner;

    @Schema(
        description =
            "the client's name for this request (at most 64 characters), so that"
                + " DELETE ?request= can cancel it whatever became of it")
    public String requestId;
  }
}
