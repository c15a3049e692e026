package dev.lockstep.web.request;

import dev.lockstep.api.Problem;
import dev.lockstep.api.ProblemType;
import java.util.Optional;

/**
 * A raw ';' in a path starts path (matrix) parameters, which the Servlet and JAX-RS layers cut out
 * of the path before a resource sees it: {@code PUT /api/v1/locks/jobs;x/a} would act on the lock
 * {@code jobs/a}, and {@code GET /api/v1/locks/a;b} would read {@code a}, though neither name is
 * valid. No name or id of shared/API.md holds a ';', so such a path is refused as bad input before
 * it can act on another name. An encoded {@code %3B} reaches the resource as part of the name and
 * is refused there.
 */
final class PathParameters {
  private PathParameters() {}

  /** The problem an API request's raw path is, if it holds path parameters. */
  static Optional<Problem> refusal(String rawPath) {
    if (rawPath.indexOf(';') >= 0) {
      return Optional.of(
          Problem.of(
              ProblemType.BAD_REQUEST,
              "the path holds a ';': no lock name or session id has one (encode it as %3B)"));
    }
    return Optional.empty();
  }
}
