package dev.lockstep.web.wait;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;

/** Placeholder until the Grizzly mechanism is in: reports that it cannot tell. */
@ApplicationScoped
public class GrizzlyClientDisconnects implements ClientDisconnects {
  @Override
  public boolean onClose(HttpServletRequest request, Runnable onClose) {
    return false;
  }
}
