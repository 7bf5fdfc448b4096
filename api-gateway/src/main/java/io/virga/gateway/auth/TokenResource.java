package io.virga.gateway.auth;

import io.virga.gateway.openapi.OpenApiConventions;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.virga.gateway.api.Checks;
import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.project.ProjectRepository;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** API tokens of a project: managed by cloud admins and the project's admins. Secrets are shown once. */
@Path("/v1/projects/{projectId}/tokens")
@Tag(name = "tokens", description = "API tokens with a role")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {
    private final CallerContext callers;
    private final TokenRepository tokens;
    private final ProjectRepository projects;
    private final Tx tx;
    private final MeterRegistry meters;
    @jakarta.inject.Inject
    io.virga.gateway.idempotency.IdempotencyScope idempotency;

    public TokenResource(CallerContext callers, TokenRepository tokens, ProjectRepository projects, Tx tx,
            MeterRegistry meters) {
        this.callers = callers;
        this.tokens = tokens;
        this.projects = projects;
        this.tx = tx;
        this.meters = meters;
    }

    /** {@code {"role": "admin|member|reader", "name": "ci"}} */
    public record CreateToken(String role, String name, Instant expiresAt) {
    }

    /** A new token, with its secret (the only time it is shown). */
    public record NewTokenView(String id, String token, String role, String projectId, String name,
            Instant createdAt, Instant expiresAt) {
    }

    /** A stored token, without its secret. */
    public record TokenView(String id, String role, String projectId, String name, Instant createdAt,
            Instant expiresAt, Instant lastUsedAt) {
        static TokenView of(TokenRepository.TokenRow t) {
            return new TokenView(t.id(), t.role().wireName(), t.projectId(), t.name(), t.createdAt(), t.expiresAt(),
                    t.lastUsedAt());
        }
    }

    /**
     * With an {@code Idempotency-Key} the answer is recorded in the transaction that makes the token, but without
     * its secret (secrets are only ever stored hashed): a replay answers the same 201 and token id with
     * {@code "token": null}.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @io.virga.gateway.idempotency.KeyedInTransaction
    @Operation(operationId = "createToken",
            summary = "Create a token (cloud admin or project admin); the secret is shown once")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NewTokenView.class)))
    public Response create(@PathParam("projectId") String projectId, CreateToken body) {
        callers.requireProjectAdmin(projectId);
        Checks.body(body);
        Checks c = new Checks();
        if (c.required("role", body.role())) {
            c.oneOf("role", body.role(), java.util.Set.of("admin", "member", "reader"));
        }
        c.text("name", body.name(), 64);
        if (body.expiresAt() != null && !body.expiresAt().isAfter(Instant.now().plusSeconds(1))) {
            c.fail("expires_at", "must be in the future");
        }
        c.done();
        Role role = Role.parse(body.role());
        String secret = Tokens.newSecret();
        TokenRepository.TokenRow row = tx.run(conn -> {
            if (projects.find(conn, projectId).isEmpty()) {
                throw ApiException.notFound("project", projectId);
            }
            TokenRepository.TokenRow r = tokens.insert(conn, Ids.newId("t"), projectId, role, body.name(), secret,
                    body.expiresAt());
            idempotency.guard().answer(conn, 201, "/v1/projects/" + projectId + "/tokens/" + r.id(),
                    new NewTokenView(r.id(), null, role.wireName(), projectId, r.name(), r.createdAt(), r.expiresAt()));
            return r;
        });
        meters.counter("virga.gateway.tokens.created").increment();
        return Response.created(URI.create("/v1/projects/" + projectId + "/tokens/" + row.id()))
                .entity(new NewTokenView(row.id(), secret, role.wireName(), projectId, row.name(), row.createdAt(),
                        row.expiresAt()))
                .build();
    }

    @GET
    @Operation(operationId = "listTokens", summary = "List a project's live tokens (no secrets)")
    @Extension(name = OpenApiConventions.ERRORS, value = "403,404")
    public Page<TokenView> list(@PathParam("projectId") String projectId, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        callers.requireProjectAdmin(projectId);
        if (projects.find(projectId).isEmpty()) {
            throw ApiException.notFound("project", projectId);
        }
        PageRequest page = PageRequest.of(limit, cursor);
        return page.keysetPage(tokens.list(projectId, page.afterKey(), page.limit() + 1).stream()
                .map(TokenView::of).toList(), TokenView::id);
    }

    @DELETE
    @Path("{tokenId}")
    @Operation(operationId = "revokeToken", summary = "Revoke a token")
    @APIResponse(responseCode = "204", description = "No content")
    public Response revoke(@PathParam("projectId") String projectId, @PathParam("tokenId") String tokenId) {
        callers.requireProjectAdmin(projectId);
        if (!tokens.revoke(projectId, tokenId)) {
            throw ApiException.notFound("token", tokenId);
        }
        return Response.noContent().build();
    }
}
