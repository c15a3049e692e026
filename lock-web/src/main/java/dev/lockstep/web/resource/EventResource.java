package dev.lockstep.web.resource;

import dev.lockstep.api.LockName;
import dev.lockstep.api.ProblemType;
import dev.lockstep.lock.events.EventFilter;
import dev.lockstep.lock.table.LockTableException;
import dev.lockstep.web.request.Names;
import dev.lockstep.web.sse.SseWatchers;
import dev.lockstep.web.wait.ClientDisconnects;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.OptionalLong;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Watching: one server-sent event per change, resumable by revision. */
@Path("events")
@ApplicationScoped
@Tag(name = "Watching")
public class EventResource {
  @Inject SseWatchers watchers;

  @Inject ClientDisconnects disconnects;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(
      summary = "Watch lock changes",
      description =
          "Events acquired, released, expired, queued, dequeued, session-expired; id is"
              + " the revision. Last-Event-ID: N (or ?since=N) replays every kept matching event"
              + " after N, then goes live; event reset when they are no longer kept. ?name= one lock,"
              + " ?prefix= locks under a prefix (session-expired only to unfiltered watchers).")
  @APIResponse(responseCode = "200", description = "text/event-stream")
  @APIResponse(responseCode = "400", description = "Bad filter or revision")
  @APIResponse(responseCode = "429", description = "Watcher limit reached")
  public void watch(
      @QueryParam("prefix") String prefix,
      @QueryParam("name") String name,
      @QueryParam("since") String since,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context HttpServletRequest request,
      @Context SseEventSink sink,
      @Context Sse sse) {
    EventFilter filter = filter(prefix, name);
    OptionalLong resumeAfter = revision(lastEventId != null ? lastEventId : since);
    Runnable close = watchers.watch(filter, resumeAfter, sink, sse);
    // Without this a closed stream is noticed only when a write to it fails.
    disconnects.onClose(request, close);
  }

  private static EventFilter filter(String prefix, String name) {
    if (prefix != null && name != null) {
      throw bad("give prefix or name, not both");
    }
    if (name != null) {
      return EventFilter.name(Names.lock(name).value());
    }
    if (prefix != null && prefix.length() > LockName.MAX_LENGTH) {
      throw bad("prefix is longer than " + LockName.MAX_LENGTH + " characters");
    }
    return prefix == null ? EventFilter.everything() : EventFilter.prefix(prefix);
  }

  private static OptionalLong revision(String raw) {
    if (raw == null || raw.isBlank()) {
      return OptionalLong.empty();
    }
    try {
      long revision = Long.parseLong(raw.trim());
      if (revision >= 0) {
        return OptionalLong.of(revision);
      }
    } catch (NumberFormatException e) {
      // one message below
    }
    throw bad("Last-Event-ID and since are a revision: a non-negative integer");
  }

  private static LockTableException bad(String detail) {
    return new LockTableException(ProblemType.BAD_REQUEST, detail);
  }
}
