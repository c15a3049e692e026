package dev.lockstep.web.problem;

import dev.lockstep.api.Problem;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.core.Response;

/** Builds {@code application/problem+json} answers; the one place that sets that media type. */
public final class ProblemResponse {
  public static final String MEDIA_TYPE = "application/problem+json";
  // Serialized here rather than by the JSON-B provider, so that the +json media type never
  // depends on which providers a container registers for it.
  private static final Jsonb JSONB = JsonbBuilder.create();

  private ProblemResponse() {}

  public static Response of(Problem problem) {
    return Response.status(problem.status()).type(MEDIA_TYPE).entity(JSONB.toJson(problem)).build();
  }
}
