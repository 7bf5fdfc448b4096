package io.virga.gateway.auditlog;

import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v1/audit} (cloud admins; anyone else 403): who changed what, when, with what result. Newest
 * first; filters and the keyset cursor are applied in the database.
 */
@Path("/v1/audit")
@Tag(name = "audit", description = "Who changed what, when, with what result (cloud admins)")
@Produces(MediaType.APPLICATION_JSON)
public class AuditLogResource {
    private final CallerContext callers;
    private final AuditLogStore store;

    public AuditLogResource(CallerContext callers, AuditLogStore store) {
        this.callers = callers;
        this.store = store;
    }

    @GET
    @Operation(operationId = "listAuditEntries", summary = "List audit entries, newest first")
    @APIResponse(responseCode = "200", description = "A page of audit entries")
    @APIResponse(responseCode = "400", description = "A filter, limit or cursor is invalid (the field is named)",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "401", description = "No or unknown bearer token",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "The caller is not a cloud admin",
            content = @Content(mediaType = "application/problem+json"))
    public Page<AuditEntryView> list(
            @Parameter(description = "Only calls made by tokens of this project") @QueryParam("project_id")
            String project,
            @Parameter(description = "Only calls made with this token id (t-…)") @QueryParam("actor") String actor,
            @Parameter(description = "Only calls naming or creating this resource id") @QueryParam("resource")
            String resource,
            @Parameter(description = "From this instant (RFC 3339, inclusive)") @QueryParam("since") String since,
            @Parameter(description = "Before this instant (RFC 3339, exclusive)") @QueryParam("until") String until,
            @Parameter(description = "Page size, 1 to 1000 (default 100)") @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        callers.requireCloudAdmin();
        PageRequest page = PageRequest.of(limit, cursor);
        Instant from = instant("since", since);
        Instant to = instant("until", until);
        Long before = cursorSeq(page.afterKey());
        List<AuditLogStore.Row> rows = store.find(new AuditLogStore.Query(blankToNull(project), blankToNull(actor),
                blankToNull(resource), from, to, before, page.limit() + 1));
        Page<AuditLogStore.Row> keyed = page.keysetPage(rows, r -> Long.toString(r.seq()));
        return new Page<>(keyed.items().stream().map(r -> AuditEntryView.of(r.entry())).toList(),
                keyed.nextCursor());
    }

    private static Long cursorSeq(String key) {
        if (key == null) {
            return null;
        }
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("cursor", "is not a cursor this list returned");
        }
    }

    private static Instant instant(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field, "must be an RFC 3339 instant such as 2026-12-03T12:00:00Z");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
