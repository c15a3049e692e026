package dev.lockstep.web.wait;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Tells when the client of a suspended request closes its connection. The Servlet API has no
 * such notification, so this is the one seam where container-specific knowledge lives.
 */
public interface ClientDisconnects {
  /**
   * Runs {@code onClose} once when the request's connection closes, within about a second.
   * Returns false when this container offers no way to tell.
   */
  boolean onClose(HttpServletRequest request, Runnable onClose);
}
