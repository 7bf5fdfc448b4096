package io.virga.gateway.operation;

import io.virga.gateway.instance.Fault;
import java.time.Instant;
import java.util.List;

/**
 * An async task record: what long work was started, where it is, how it ended,
 * and what it produced ({@code result}, e.g. a snapshot's {@code image_id}; null when nothing).
 */
public record Operation(String id, String projectId, OperationKind kind, String resourceId, OperationStatus status,
                        List<OperationStep> steps, Fault fault, Instant createdAt, Instant finishedAt,
                        java.util.Map<String, String> result) {
}
