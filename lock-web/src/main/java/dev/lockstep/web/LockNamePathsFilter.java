package dev.lockstep.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.Paths;

/**
 * Lock names hold '/', so the resources match them with {@code {name: .+}}; OpenAPI path templates
 * take no regular expressions, so the published paths say {@code {name}} as shared/API.md does.
 * Registered by {@code mp.openapi.filter}.
 */
public class LockNamePathsFilter implements OASFilter {
  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    Paths paths = openAPI.getPaths();
    if (paths == null || paths.getPathItems() == null) {
      return;
    }
    Map<String, PathItem> rewritten = new LinkedHashMap<>();
    paths
        .getPathItems()
        .forEach((path, item) -> rewritten.put(path.replaceAll("\\{(\\w+):[^}]*}", "{$1}"), item));
    for (String path : Map.copyOf(paths.getPathItems()).keySet()) {
      paths.removePathItem(path);
    }
    rewritten.forEach(paths::addPathItem);
  }
}
