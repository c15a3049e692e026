package dev.lockstep.web.wait;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Disconnect detection on Payara's Grizzly, by reflection so that the WAR needs no Payara compile
 * dependency. Measured on Payara Micro 6.2025.10: a client's close is seen in 1 to 6 ms.
 *
 * <p>Why both steps: Grizzly stops reading a connection while its request is suspended, so a close
 * listener alone hears of the client's FIN only when the answer is finally written, and {@code
 * isOpen()} stays true. Turning READ interest back on makes Grizzly read the EOF (or RST), close
 * the connection and call the listener. The listener must be removed before the answer is written:
 * otherwise it stays on a keep-alive connection and fires when that closes much later.
 */
@ApplicationScoped
public class GrizzlyClientDisconnects implements ClientDisconnects {
  private static final Logger LOG = Logger.getLogger(GrizzlyClientDisconnects.class.getName());

  @Override
  public Optional<Runnable> onClose(HttpServletRequest request, Runnable onClose) {
    Object connection = connection(request);
    if (connection == null) {
      return Optional.empty();
    }
    try {
      ClassLoader loader = connection.getClass().getClassLoader();
      Class<?> listenerType = Class.forName("org.glassfish.grizzly.CloseListener", false, loader);
      Class<?> genericListenerType =
          Class.forName("org.glassfish.grizzly.GenericCloseListener", false, loader);
      Class<?> ioEventType = Class.forName("org.glassfish.grizzly.IOEvent", false, loader);
      Method add = connection.getClass().getMethod("addCloseListener", listenerType);
      Method remove = connection.getClass().getMethod("removeCloseListener", listenerType);
      Method enable = connection.getClass().getMethod("enableIOEvent", ioEventType);
      Method disable = connection.getClass().getMethod("disableIOEvent", ioEventType);
      Object readEvent = ioEventType.getField("READ").get(null);

      AtomicBoolean armed = new AtomicBoolean(true);
      Object listener =
          Proxy.newProxyInstance(
              loader,
              new Class<?>[] {genericListenerType},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "onClosed" -> {
                      if (armed.compareAndSet(true, false)) {
                        try {
                          onClose.run();
                        } catch (RuntimeException e) {
                          LOG.log(Level.WARNING, "disconnect callback failed", e);
                        }
                      }
                      yield null;
                    }
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" ->
                        "ClientDisconnectListener@"
                            + Integer.toHexString(System.identityHashCode(proxy));
                    default -> null;
                  });
      Runnable unregister =
          () -> {
            if (armed.compareAndSet(true, false)) {
              try {
                remove.invoke(connection, listener);
                // Back to the state Grizzly left a suspended request's connection in. The answer
                // then closes the connection (WaitingResponse), so no next request is read with
                // the reading state this watch changed.
                disable.invoke(connection, readEvent);
              } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(Level.FINE, "could not stop watching a connection", e);
              }
            }
          };
      add.invoke(connection, listener); // calls the listener at once if already closed
      enable.invoke(connection, readEvent);
      return Optional.of(unregister);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.log(Level.FINE, "Grizzly disconnect detection unsupported", e);
      return Optional.empty();
    }
  }

  /** The org.glassfish.grizzly.Connection behind a Payara servlet request, or null. */
  private static Object connection(ServletRequest request) {
    try {
      ServletRequest r = request;
      while (r instanceof ServletRequestWrapper wrapper) {
        r = wrapper.getRequest();
      }
      Object catalina = r;
      Method unwrap = method(r.getClass(), "getUnwrappedCoyoteRequest");
      if (unwrap != null) {
        catalina = unwrap.invoke(r);
      }
      Method coyote = method(catalina.getClass(), "getCoyoteRequest");
      if (coyote == null) {
        return null;
      }
      Object grizzlyRequest = coyote.invoke(catalina);
      if (grizzlyRequest == null) {
        return null;
      }
      Method getConnection = method(grizzlyRequest.getClass(), "getConnection");
      return getConnection == null ? null : getConnection.invoke(grizzlyRequest);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.log(Level.FINE, "Grizzly connection not reachable", e);
      return null;
    }
  }

  private static Method method(Class<?> type, String name) {
    try {
      return type.getMethod(name);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
