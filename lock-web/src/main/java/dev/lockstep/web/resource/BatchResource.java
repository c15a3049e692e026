package dev.lockstep.web.resource;

import dev.lockstep.api.Problem;
import dev.lockstep.lock.LockService;
import dev.lockstep.lock.table.BatchRequest;
import dev.lockstep.web.batch.BatchAnswerView;
import dev.lockstep.web.batch.BatchOperations;
import dev.lockstep.web.problem.ProblemResponse;
import dev.lockstep.web.request.Bearer;
import dev.lockstep.web.request.JsonBody;
import dev.lockstep.web.request.RequestMediaTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Several operations of one session in one request, one table lock and one commit. */
@Path("batch")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Locks")
public class BatchResource {
  private static final Set<String> BATCH_FIELDS = Set.of("operations");

  @Inject LockService locks;

  @POST
  @Consumes(RequestMediaTypes.ANY_BODY)
  @SecurityRequirement(name = "session")
  @Operation(
      summary = "Apply several operations of the session",
      description =
          "Body: {\"operations\":[{\"op\":\"acquire\"|\"release\"|\"withdraw\"|\"cancel\"|"
              + "\"keepalive\", ...the single call's fields}]}, 1 to 64 operations, applied in"
              + " order and stored in one commit. Each result is what the single call would have"
              + " answered; an acquire that would wait is answered 202 queued at once, and its"
              + " ending comes on GET /sessions/{id}/grants.")
  @APIResponse(
      responseCode = "200",
      description = "One result per operation",
      content = @Content(schema = @Schema(implementation = BatchAnswerView.class)))
  @APIResponse(
      responseCode = "400",
      description = "Not a batch, 0 or more than 64 operations, or another session's operation",
      content =
          @Content(
              mediaType = ProblemResponse.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "401", description = "Missing or unknown session token")
  @APIResponse(responseCode = "413", description = "Body over 64 KiB")
  public BatchAnswerView batch(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      InputStream body) {
    BatchRequest request = BatchOperations.read(JsonBody.read(body, contentType, BATCH_FIELDS));
    return BatchAnswerView.of(request, locks.batch(Bearer.presented(authorization), request));
  }
}
