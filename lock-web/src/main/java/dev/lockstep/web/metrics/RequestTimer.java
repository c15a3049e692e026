package dev.lockstep.web.metrics;

import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Request latency per endpoint ({@code lockstep_request_micros{endpoint="PUT /locks/{name}"}}),
 * from the request's arrival to its answer: a waiting acquire counts its wait, as its client sees
 * it. A response filter runs also when a suspended request is resumed.
 */
@Provider
public class RequestTimer implements ContainerRequestFilter, ContainerResponseFilter {
  private static final String STARTED = RequestTimer.class.getName() + ".started";
  // A histogram of microseconds, not a Timer: Payara 6's Prometheus exporter writes a Timer's sum
  // in seconds but its quantiles in nanoseconds, under a _seconds name.
  private static final Metadata METADATA =
      Metadata.builder()
          .withName("lockstep.request.micros")
          .withDescription("Time from request to answer in microseconds, per endpoint")
          .withUnit(MetricUnits.NONE)
          .build();

  @Context ResourceInfo resource;

  private final ConcurrentMap<Endpoint, Histogram> histograms = new ConcurrentHashMap<>();

  @Inject
  @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
  MetricRegistry registry;

  @Override
  public void filter(ContainerRequestContext request) {
    request.setProperty(STARTED, System.nanoTime());
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Object started = request.getProperty(STARTED);
    if (!(started instanceof Long start)
        || resource == null
        || resource.getResourceMethod() == null) {
      return; // unmatched paths (404s) are not endpoints
    }
    histograms
        .computeIfAbsent(
            new Endpoint(request.getMethod(), resource.getResourceMethod()),
            e ->
                registry.histogram(
                    METADATA, new Tag("endpoint", e.httpMethod() + " " + template(request))))
        .update((System.nanoTime() - start) / 1_000);
  }

  /** An HTTP method on a resource method: one histogram each, looked up once, not per request. */
  private record Endpoint(String httpMethod, Method resourceMethod) {}

  private String template(ContainerRequestContext request) {
    StringBuilder path = new StringBuilder();
    Path type = resource.getResourceClass().getAnnotation(Path.class);
    Path method = resource.getResourceMethod().getAnnotation(Path.class);
    if (type != null) {
      path.append('/').append(type.value());
    }
    if (method != null) {
      path.append('/').append(method.value());
    }
    return path.toString().replaceAll("\\{(\\w+):[^}]*}", "{$1}");
  }
}
