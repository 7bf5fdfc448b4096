package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** JSON shapes of stacks and plans (snake_case on the wire). */
public final class StackViews {
    private StackViews() {
    }

    /** One attribute change; {@code after} reads "(known after apply)" for values not known yet. */
    public record ChangeView(String attribute,
            @Schema(implementation = Object.class, description = "any JSON value") JsonNode before,
            @Schema(implementation = Object.class, description = "any JSON value") JsonNode after,
            boolean forcesReplacement) {
    }

    /** A plan step. */
    public record StepView(String address, String kind, String name, String action, String id, String reason,
            List<ChangeView> changes) {
        static StepView of(Plan.Step s) {
            return new StepView(s.address(), s.kind().wireName(), s.address().substring(s.address().indexOf('.') + 1),
                    s.action().wire(), s.id(), s.reason(), s.changes().stream()
                    .map(c -> new ChangeView(c.attribute(), c.before(), c.after(), c.forcesReplacement())).toList());
        }
    }

    /** A plan: its id (give it to apply as plan_id), counts per action and the steps. */
    public record PlanView(String planId, String stack, Map<String, Long> summary, List<StepView> resources) {
        static PlanView of(String planId, String stack, Plan plan) {
            return new PlanView(planId, stack, plan.summary(), plan.steps().stream().map(StepView::of).toList());
        }
    }

    /** An apply or destroy started: its operation (poll GET /v1/operations/{id}) and what it will do. */
    public record RunView(String stack, String operationId, Map<String, Long> summary, List<StepView> resources) {
    }

    /** A resource the stack owns: its API id and current attributes as last read. */
    public record OwnedView(String address, String kind, String name, String id,
            @Schema(implementation = Map.class, description = "a JSON object") JsonNode attributes) {
        static OwnedView of(StoredResource r) {
            return new OwnedView(r.address(), r.kind().wireName(), r.address().substring(r.address().indexOf('.') + 1),
                    r.id(), r.outputs());
        }
    }

    /** A stack: status (PLANNED, APPLYING, APPLIED, FAILED, DESTROYING, DESTROY_FAILED), outputs, resources. */
    public record StackView(String name, String projectId, String status,
            @Schema(implementation = Map.class, description = "a JSON object") JsonNode outputs, String lastOperationId,
            List<OwnedView> resources, String createdAt, String updatedAt) {
        static StackView of(StackStore.Row row, List<OwnedView> resources) {
            return new StackView(row.name(), row.projectId(), row.status(), row.outputs(), row.lastOperationId(),
                    resources, row.createdAt(), row.updatedAt());
        }
    }
}
