package io.virga.gateway.project;

import io.virga.gateway.openapi.OpenApiConventions;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.virga.gateway.api.Checks;
import io.virga.gateway.api.Page;
import io.virga.gateway.api.PageRequest;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.quota.QuotaDefaults;
import io.virga.platform.db.Sql;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tenants: created by cloud admins, readable by their members. */
@Path("/v1/projects")
@Tag(name = "projects", description = "Tenants")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectResource {
    private final CallerContext callers;
    private final ProjectRepository projects;
    private final QuotaDefaults defaults;
    private final Tx tx;
    private final MeterRegistry meters;
    private final ProjectDeletion deletion;
    @jakarta.inject.Inject
    io.virga.gateway.idempotency.IdempotencyScope idempotency;

    public ProjectResource(CallerContext callers, ProjectRepository projects, QuotaDefaults defaults, Tx tx,
            MeterRegistry meters, ProjectDeletion deletion) {
        this.deletion = deletion;
        this.callers = callers;
        this.projects = projects;
        this.defaults = defaults;
        this.tx = tx;
        this.meters = meters;
    }

    /** {@code {"name": "..."}} */
    public record CreateProject(String name) {
    }

    /** A project as the API shows it. */
    public record ProjectView(String id, String name, boolean system, Instant createdAt) {
        static ProjectView of(Project p) {
            return new ProjectView(p.id(), p.name(), p.system(), p.createdAt());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @io.virga.gateway.idempotency.KeyedInTransaction
    @Operation(operationId = "createProject", summary = "Create a project (cloud admin)")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProjectView.class)))
    public Response create(CreateProject body) {
        callers.requireCloudAdmin();
        Checks.body(body);
        Checks c = new Checks();
        c.name("name", body.name());
        c.done();
        try {
            Project p = tx.run(conn -> {
                Project made = projects.insert(conn, Ids.newId("prj"), body.name(), false, defaults.limits());
                idempotency.guard().answer(conn, 201, "/v1/projects/" + made.id(), ProjectView.of(made));
                return made;
            });
            meters.counter("virga.gateway.projects.created").increment();
            return Response.status(201).header("Location", "/v1/projects/" + p.id()).entity(ProjectView.of(p)).build();
        } catch (RuntimeException e) {
            if (Sql.isUniqueViolation(e)) {
                throw ApiException.conflict("project name " + body.name() + " is already taken");
            }
            throw e;
        }
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getProject", summary = "Show a project (cloud admin or its members)")
    @Extension(name = OpenApiConventions.ERRORS, value = "403")
    public ProjectView get(@PathParam("id") String id) {
        Caller caller = callers.current();
        if (!caller.canSee(id)) {
            throw ApiException.notFound("project", id);
        }
        return projects.find(id).map(ProjectView::of).orElseThrow(() -> ApiException.notFound("project", id));
    }

    @GET
    @Operation(operationId = "listProjects", summary = "List projects (cloud admin: all; others: their own)")
    @Extension(name = OpenApiConventions.ERRORS, value = "403")
    public Page<ProjectView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Caller caller = callers.current();
        PageRequest page = PageRequest.of(limit, cursor);
        String only = caller.cloudAdmin() ? null : caller.projectId();
        return page.keysetPage(projects.list(only, page.afterKey(), page.limit() + 1).stream()
                .map(ProjectView::of).toList(), ProjectView::id);
    }

    @jakarta.ws.rs.DELETE
    @Path("{id}")
    @org.eclipse.microprofile.openapi.annotations.responses.APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteProject", summary = "Delete a project (cloud admin; 204; 409 while it holds"
            + " anything, with the counts in holdings)")
    public Response delete(@PathParam("id") String id) {
        callers.requireCloudAdmin();
        deletion.delete(id);
        return Response.noContent().build();
    }
}
