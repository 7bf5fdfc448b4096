package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.gateway.api.Page;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.CallerContext;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v1/stacks}: declarative specs of the caller's project. Plan (a diff, changes nothing),
 * apply (202 + Location of the operation), destroy (202), show and list. Another project's stack does
 * not exist for the caller (404); a reader may show and list only (403).
 *
 * <p>Plan and apply bodies: {@code {"spec": "<YAML or JSON text>" | {spec object}, "variables": {…},
 * "plan_id": "plan-…"}} as JSON, or the spec itself as {@code application/yaml} / {@code text/yaml}.
 */
@Path("/v1/stacks")
@Tag(name = "stacks", description = "Declarative specs: plan a diff, apply it, see drift, destroy")
@Produces(MediaType.APPLICATION_JSON)
public class StackResource {
    private static final String YAML = "application/yaml";
    private static final String TEXT_YAML = "text/yaml";

    private final CallerContext callers;
    private final StackService stacks;

    public StackResource(CallerContext callers, StackService stacks) {
        this.callers = callers;
        this.stacks = stacks;
    }

    @POST
    @Path("{name}/plan")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "planStack", summary = "Plan: the diff per resource (create, update, replace, delete,"
            + " no-op) between the spec and what the stack owns now, drift included; changes nothing")
    @APIResponse(responseCode = "200", description = "the plan, with its plan_id")
    @APIResponse(responseCode = "400", description = "malformed body", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = "a reader's token", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "422", description = "invalid spec: spec_errors [{line, path, message}]",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(
                    implementation = io.virga.gateway.openapi.JsonBodies.StackRequest.class)))
    public StackViews.PlanView plan(@PathParam("name") String name, JsonNode body) {
        return plan(name, input(body));
    }

    @POST
    @Path("{name}/plan")
    @Consumes({YAML, TEXT_YAML})
    @Operation(operationId = "planStackYaml", summary = "Plan a spec given as YAML")
    @APIResponse(responseCode = "200", description = "the plan")
    @APIResponse(responseCode = "422", description = "invalid spec", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public StackViews.PlanView planYaml(@PathParam("name") String name, String body) {
        return plan(name, new StackService.Input(required(body), Map.of(), null));
    }

    @POST
    @Path("{name}/apply")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "applyStack", summary = "Apply: plan and carry it out as one operation (202 + Location)"
            + " in dependency order, independent resources in parallel; with plan_id, 409 if the world changed")
    @APIResponse(responseCode = "202", description = "started; Location: /v1/operations/{id}")
    @APIResponse(responseCode = "400", description = "malformed body", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = "a reader's token", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "unknown plan_id", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "the stack is busy, or the world changed since the plan",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "422", description = "invalid spec", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(
                    implementation = io.virga.gateway.openapi.JsonBodies.StackRequest.class)))
    public Response apply(@PathParam("name") String name, JsonNode body) {
        return apply(name, input(body));
    }

    @POST
    @Path("{name}/apply")
    @Consumes({YAML, TEXT_YAML})
    @Operation(operationId = "applyStackYaml", summary = "Apply a spec given as YAML")
    @APIResponse(responseCode = "202", description = "started; Location: /v1/operations/{id}")
    @APIResponse(responseCode = "422", description = "invalid spec", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response applyYaml(@PathParam("name") String name, String body) {
        return apply(name, new StackService.Input(required(body), Map.of(), null));
    }

    @DELETE
    @Path("{name}")
    @Operation(operationId = "destroyStack", summary = "Destroy: delete everything the stack owns in reverse"
            + " dependency order (202 + Location); the stack is gone when the operation succeeds")
    @APIResponse(responseCode = "202", description = "started; Location: /v1/operations/{id}")
    @APIResponse(responseCode = "403", description = "a reader's token", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "no such stack", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "busy", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response destroy(@PathParam("name") String name) {
        Caller caller = callers.requireWrite();
        return started(name, stacks.destroy(caller, name));
    }

    @GET
    @Path("{name}")
    @Operation(operationId = "getStack", summary = "Show a stack: status, outputs, the resources it owns")
    @APIResponse(responseCode = "200", description = "the stack")
    @APIResponse(responseCode = "404", description = "no such stack", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public StackViews.StackView get(@PathParam("name") String name) {
        Caller caller = callers.current();
        StackStore.Row row = stacks.get(caller, name);
        return StackViews.StackView.of(row, stacks.resources(caller, name).values().stream()
                .map(StackViews.OwnedView::of).toList());
    }

    @GET
    @Operation(operationId = "listStacks", summary = "List the project's stacks (without their resources)")
    @APIResponse(responseCode = "200", description = "the stacks")
    public Page<StackViews.StackView> list() {
        Caller caller = callers.current();
        return new Page<>(stacks.list(caller).stream().map(r -> StackViews.StackView.of(r, null)).toList(), null);
    }

    private StackViews.PlanView plan(String name, StackService.Input in) {
        Caller caller = callers.requireWrite();
        if (in.specText() == null) {
            throw ApiException.badRequest("spec", "is required");
        }
        StackService.Planned p = run(() -> stacks.plan(caller, name, in));
        return StackViews.PlanView.of(p.planId(), name, p.plan());
    }

    private Response apply(String name, StackService.Input in) {
        Caller caller = callers.requireWrite();
        return started(name, run(() -> stacks.apply(caller, name, in)));
    }

    private static Response started(String name, StackService.Started s) {
        var view = new StackViews.RunView(name, s.operationId(), s.plan().summary(),
                s.plan().steps().stream().map(StackViews.StepView::of).toList());
        return Response.status(Response.Status.ACCEPTED).entity(view)
                .header("Location", "/v1/operations/" + s.operationId()).build();
    }

    private static <T> T run(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (SpecInvalid e) {
            throw e.problem();
        } catch (World.Failed e) {
            throw ApiException.unavailable("reading the stack's resources failed: " + e.getMessage());
        }
    }

    private static String required(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.malformed("the spec is required as the body");
        }
        return body;
    }

    /** Reads {@code {spec, variables, plan_id}}; an object spec becomes JSON text. */
    private static StackService.Input input(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.malformed("the body must be a JSON object {spec, variables?, plan_id?}");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!java.util.Set.of("spec", "variables", "plan_id").contains(f)) {
                throw ApiException.badRequest(f, "unknown field; known: spec, variables, plan_id");
            }
        });
        JsonNode spec = body.get("spec");
        String text = null;
        if (spec != null && !spec.isNull()) {
            if (spec.isTextual()) {
                text = spec.asText();
            } else if (spec.isObject()) {
                text = spec.toPrettyString();
            } else {
                throw ApiException.badRequest("spec", "must be YAML or JSON text, or a JSON object");
            }
        }
        Map<String, JsonNode> vars = new LinkedHashMap<>();
        JsonNode v = body.get("variables");
        if (v != null && !v.isNull()) {
            if (!v.isObject()) {
                throw ApiException.badRequest("variables", "must be an object of name: value");
            }
            v.fields().forEachRemaining(e -> vars.put(e.getKey(), e.getValue()));
        }
        JsonNode plan = body.get("plan_id");
        if (plan != null && !plan.isNull() && !plan.isTextual()) {
            throw ApiException.badRequest("plan_id", "must be a string");
        }
        return new StackService.Input(text, vars, plan == null || plan.isNull() ? null : plan.asText());
    }
}
