package io.virga.gateway.stream;

import io.smallrye.common.annotation.Blocking;
import io.virga.gateway.api.ProjectScope;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v1/events}: the caller's project's events as Server-Sent Events (any role, readers too).
 * A cloud admin sees every project, or one with {@code ?project_id=}. Each event is
 * {@code id: <seq>}, {@code event: <CloudEvent type>}, {@code data: {id, type, subject, project_id, time, data}};
 * {@code Last-Event-ID} resumes after that id (see {@link StreamHub}); comments keep idle streams open.
 */
@Path("/v1/events")
@Tag(name = "events", description = "The live event stream (Server-Sent Events)")
public class EventsResource {
    static final String LAST_EVENT_ID = "Last-Event-ID";
    private final CallerContext callers;
    private final StreamHub hub;

    public EventsResource(CallerContext callers, StreamHub hub) {
        this.callers = callers;
        this.hub = hub;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(operationId = "streamEvents", summary = "Stream the project's events (Server-Sent Events)",
            description = "Instance status, port, security group, volume and operation changes of the caller's"
                    + " project; a cloud admin sees all projects unless project_id is given. Resume with"
                    + " Last-Event-ID; an id too old or unknown is answered with a stream.reset event first. A client"
                    + " that reads too slowly gets a final stream.dropped event naming the last id it was sent.")
    @APIResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "Last-Event-ID is not an id of this stream",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No or unknown bearer token",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "404", description = "project_id names another project (non-admin)",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "503", description = "The event stream is disabled on this gateway",
            content = @Content(mediaType = "application/problem+json"))
    public void stream(@Parameter(description = "Cloud admins: only this project's events")
                       @QueryParam("project_id") String project,
                       @Parameter(description = "Resume after this event id")
                       @HeaderParam(LAST_EVENT_ID) String lastEventId,
                       @Context SseEventSink sink, @Context Sse sse) throws InterruptedException {
        Caller caller = callers.current();
        String scope = caller.cloudAdmin() && (project == null || project.isEmpty())
                ? null : ProjectScope.resolve(caller, project);
        Long after = parseLastEventId(lastEventId);
        if (!hub.enabled()) {
            throw ApiException.unavailable("the event stream is disabled on this gateway");
        }
        hub.open(scope, after, new SseFrames(sink, sse));
    }

    /** Null when absent; a non-negative integer otherwise, or a 400 naming the header. */
    static Long parseLastEventId(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            long v = Long.parseLong(raw.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(LAST_EVENT_ID, "must be an id this stream sent (a non-negative integer)");
        }
    }

    /** {@link FrameSink} over a JAX-RS SSE sink. */
    private record SseFrames(SseEventSink sink, Sse sse) implements FrameSink {
        @Override
        public CompletionStage<?> send(Frame f) {
            OutboundSseEvent.Builder b = sse.newEventBuilder();
            if (f.comment() != null) {
                b.comment(f.comment());
            }
            if (f.id() != null) {
                b.id(f.id());
            }
            if (f.name() != null) {
                b.name(f.name());
            }
            if (f.data() != null) {
                b.data(String.class, f.data());
            }
            return sink.send(b.build());
        }

        @Override
        public boolean isClosed() {
            return sink.isClosed();
        }

        @Override
        public void close() {
            sink.close();
        }
    }
}
