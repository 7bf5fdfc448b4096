package io.virga.gateway.operation;

import io.virga.gateway.instance.Fault;
import java.time.Instant;
import java.util.List;

/** The JSON form of an operation (snake_case on the wire). */
public record OperationView(String id, String kind, String resourceId, String status, List<StepView> steps,
                            Fault fault, String createdAt, String finishedAt, java.util.Map<String, String> result) {

    /** One step: name, status, started_at, finished_at, detail. */
    public record StepView(String name, String status, String startedAt, String finishedAt, String detail) {
    }

    public static OperationView of(Operation o) {
        List<StepView> steps = o.steps().stream()
                .map(s -> new StepView(s.name(), s.status().name(), text(s.startedAt()), text(s.finishedAt()),
                        s.detail()))
                .toList();
        return new OperationView(o.id(), o.kind().value(), o.resourceId(), o.status().name(), steps, o.fault(),
                text(o.createdAt()), text(o.finishedAt()), o.result());
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
