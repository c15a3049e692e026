package dev.lockstep.web.json;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Writes the lock path's answers ({@link ViewJson}) in place of the JSON-B provider, which keeps
 * every other type. Declared for {@link Record}, not {@code Object}: Jersey picks the writer whose
 * declared type is nearest the entity's, and JSON-B's is declared for {@code Object} (at {@code
 * Object} both tie, and JSON-B was picked).
 */
@Provider
@Produces({MediaType.APPLICATION_JSON, "application/*+json"})
public class ViewBodyWriter implements MessageBodyWriter<Record> {
  @Override
  public boolean isWriteable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return ViewJson.writes(type);
  }

  @Override
  public void writeTo(
      Record value,
      Class<?> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, Object> headers,
      OutputStream out) {
    ViewJson.write(value, out);
  }
}
