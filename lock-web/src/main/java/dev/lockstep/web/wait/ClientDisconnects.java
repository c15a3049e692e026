package dev.lockstep.web.wait;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Tells when the client of a suspended request closes its connection. The Servlet API has no such
 * notification and Jersey on Payara never calls JAX-RS {@code ConnectionCallback}, so this is the
 * one seam where container-specific knowledge lives.
 */
public interface ClientDisconnects {
  /**
   * Runs {@code onClose} at most once, when the request's connection closes (within milliseconds on
   * Payara). If it is closed already, runs it before returning. Returns the handle that unregisters
   * it, to be run before the request is answered; empty when this container offers no way to tell.
   */
  Optional<Runnable> onClose(HttpServletRequest request, Runnable onClose);
}
