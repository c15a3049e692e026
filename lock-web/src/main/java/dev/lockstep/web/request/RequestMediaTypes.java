package dev.lockstep.web.request;

import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.table.LockTableException;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place that decides a request's media types, at the two moments they can be judged:
 *
 * <ul>
 *   <li>before Jersey sees the request ({@link #headerRefusal}, asked by {@link
 *       RequestRefusalFilter}): Content-Type and Accept headers that Jersey would answer with the
 *       container's HTML error page are refused here as a 400 problem;
 *   <li>once a body is read ({@link #requireJsonBody}, asked by {@link JsonBody}): a body that is
 *       not of a JSON type is a 415.
 * </ul>
 *
 * Resources declare {@link #ANY_BODY} in {@code @Consumes}, so that Jersey lets every type through
 * to this class: its own 415 would also refuse an empty body of another type, which the contract
 * reads as an empty object, and would not say what a body must be.
 */
public final class RequestMediaTypes {
  /** What resource methods consume: every type reaches them, and this class judges a body's. */
  public static final String ANY_BODY = MediaType.WILDCARD;

  /** RFC 9110 12.4.2: a number from 0 to 1 with at most three decimals. */
  private static final Pattern QUALITY = Pattern.compile("0(\\.\\d{0,3})?|1(\\.0{0,3})?");

  private RequestMediaTypes() {}

  /**
   * Why the request's Content-Type and Accept headers are refused as bad input; empty when Jersey
   * can read them. Jersey's servlet parses Content-Type (to look for form bodies) before any JAX-RS
   * filter or exception mapper runs, and refuses an unparseable one, a second one, and an Accept
   * quality out of syntax with an HTML page, not a problem.
   *
   * @param contentTypes every Content-Type header of the request, in order
   * @param accepts every Accept header of the request, in order
   */
  public static Optional<String> headerRefusal(List<String> contentTypes, List<String> accepts) {
    if (!contentTypes.isEmpty() && !parses(contentTypes.get(0))) {
      return Optional.of("the Content-Type header is not a media type");
    }
    if (contentTypes.size() > 1) {
      return Optional.of("the Content-Type header is given more than once");
    }
    for (String accept : accepts) {
      for (String part : accept.split(",")) {
        if (!part.isBlank() && !acceptable(part.trim())) {
          return Optional.of("the Accept header is not a list of media types with qualities");
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Refuses, with a 415, a body whose Content-Type is not {@code application/json} or a {@code
   * +json} type; parameters such as a charset do not matter (the body is read as UTF-8 whatever it
   * says). No Content-Type at all is taken as JSON. Asked only of a body that is not empty.
   */
  public static void requireJsonBody(String contentType) {
    if (contentType != null && !isJson(contentType)) {
      String type = essence(contentType);
      throw new LockTableException(
          ProblemType.UNSUPPORTED_MEDIA_TYPE,
          "request bodies are application/json, not "
              + (type.length() <= 64 ? type : type.substring(0, 64) + "..."));
    }
  }

  /** Whether a body of {@code contentType} is read as JSON. */
  public static boolean isJson(String contentType) {
    String type = essence(contentType);
    return type.equals(MediaType.APPLICATION_JSON) || type.endsWith("+json");
  }

  /** The type and subtype, lower case, without parameters. */
  private static String essence(String contentType) {
    return contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }

  /** Parsed as Jersey will parse it, so that what passes here never fails there. */
  private static boolean parses(String value) {
    try {
      MediaType.valueOf(value);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean acceptable(String value) {
    try {
      return MediaType.valueOf(value).getParameters().entrySet().stream()
          .filter(p -> p.getKey().equalsIgnoreCase("q"))
          .allMatch(p -> QUALITY.matcher(p.getValue()).matches());
    } catch (RuntimeException e) {
      return false;
    }
  }
}
