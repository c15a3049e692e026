package dev.lockstep.web.resource;

import dev.lockstep.api.KeepAliveAnswer;
import dev.lockstep.api.Problem;
import dev.lockstep.api.ProblemType;
import dev.lockstep.api.SessionCreated;
import dev.lockstep.api.SessionList;
import dev.lockstep.api.SessionView;
import dev.lockstep.lock.LockService;
import dev.lockstep.lock.table.OpenedSession;
import dev.lockstep.lock.table.SessionPage;
import dev.lockstep.lock.table.SessionSnapshot;
import dev.lockstep.lock.table.TableLimits;
import dev.lockstep.web.problem.ProblemResponse;
import dev.lockstep.web.request.Bearer;
import dev.lockstep.web.request.JsonBody;
import dev.lockstep.web.request.Names;
import dev.lockstep.web.request.RequestMediaTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sessions: a client's lease, kept alive within its TTL. */
@Path("sessions")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions")
public class SessionResource {
  private static final Set<String> OPEN_FIELDS =
      Set.of("ttl", "ttlMillis", "name", "lockDelay", "lockDelayMillis");

  @Inject LockService locks;

  @POST
  @Consumes(RequestMediaTypes.ANY_BODY)
  @Operation(
      summary = "Open a session",
      description =
          "Body (all optional): {\"ttl\":\"PT10S\","
              + "\"name\":\"worker-7\",\"lockDelay\":\"PT0S\"}. The token is shown only in this answer.")
  @RequestBody(
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = OpenSessionBody.class)))
  @APIResponse(
      responseCode = "201",
      description = "Opened",
      content = @Content(schema = @Schema(implementation = SessionCreated.class)))
  @APIResponse(
      responseCode = "400",
      description = "Bad body or TTL out of bounds",
      content =
          @Content(
              mediaType = ProblemResponse.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "413", description = "Body over 64 KiB")
  @APIResponse(responseCode = "429", description = "Session limit reached")
  public Response open(
      InputStream body,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @Context UriInfo uri) {
    JsonBody request = JsonBody.read(body, contentType, OPEN_FIELDS);
    OpenedSession opened =
        locks.openSession(
            request.text("name").orElse(null),
            request.duration("ttl").orElse(null),
            request.duration("lockDelay").orElse(null));
    SessionSnapshot s = opened.session();
    SessionCreated created =
        new SessionCreated(
            s.id(),
            opened.token().value(),
            s.name(),
            s.ttl().toMillis(),
            s.lockDelay().toMillis(),
            s.expiresAt());
    return Response.created(uri.getAbsolutePathBuilder().path(s.id()).build())
        .entity(created)
        .build();
  }

  @GET
  @Operation(
      summary = "List sessions",
      description =
          "Live sessions in id order, one page at a time: limit (default 100, at most 1000),"
              + " after (the next of the previous page), prefix (of the session name). Never"
              + " shows a token.")
  @APIResponse(
      responseCode = "200",
      description = "One page",
      content = @Content(schema = @Schema(implementation = SessionList.class)))
  @APIResponse(responseCode = "400", description = "Bad limit, prefix or after")
  public SessionList list(
      @QueryParam("prefix") String prefix,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit) {
    SessionPage page =
        locks.sessions(prefix, after, Names.pageLimit(limit, TableLimits.DEFAULT_SESSION_PAGE));
    return new SessionList(
        page.sessions().stream().map(SessionSnapshot::view).toList(),
        page.total(),
        page.next().orElse(null));
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Read a session", description = "Never shows the token.")
  @APIResponse(
      responseCode = "200",
      description = "The session",
      content = @Content(schema = @Schema(implementation = SessionView.class)))
  @APIResponse(responseCode = "404", description = "No such live session")
  public Response read(@PathParam("id") String id) {
    return locks
        .session(id)
        .map(s -> Response.ok(s.view()).build())
        .orElseGet(
            () ->
                ProblemResponse.of(
                    Problem.of(
                        ProblemType.NOT_FOUND,
                        "no session " + id + " (it expired, was deleted, or never existed)")));
  }

  @POST
  @Path("{id}/keepalive")
  @Consumes(RequestMediaTypes.ANY_BODY)
  @SecurityRequirement(name = "session")
  @Operation(summary = "Keep a session alive", description = "Extends it to now plus its TTL.")
  @APIResponse(
      responseCode = "200",
      description = "Extended",
      content = @Content(schema = @Schema(implementation = KeepAliveAnswer.class)))
  @APIResponse(responseCode = "401", description = "Missing or wrong token")
  @APIResponse(responseCode = "403", description = "Another session's token")
  @APIResponse(responseCode = "404", description = "Expired or never existed")
  public KeepAliveAnswer keepAlive(
      @PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    SessionSnapshot s = locks.keepAlive(id, Bearer.presented(authorization));
    return new KeepAliveAnswer(s.id(), s.expiresAt());
  }

  @DELETE
  @Path("{id}")
  @SecurityRequirement(name = "session")
  @Operation(summary = "Close a session", description = "Releases its locks, drops its waits.")
  @APIResponse(responseCode = "204", description = "Closed")
  @APIResponse(responseCode = "401", description = "Missing or wrong token")
  @APIResponse(responseCode = "403", description = "Another session's token")
  @APIResponse(responseCode = "404", description = "Expired or never existed")
  public Response close(
      @PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    locks.closeSession(id, Bearer.presented(authorization));
    return Response.noContent().build();
  }

  /** The documented shape of the open body, for OpenAPI only. */
  public record OpenSessionBody(
      String ttl, Long ttlMillis, String name, String lockDelay, Long lockDelayMillis) {}
}
