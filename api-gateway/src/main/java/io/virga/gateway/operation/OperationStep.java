package io.virga.gateway.operation;

import java.time.Instant;

/** One step of an operation as the user sees it; a step retried after a failure keeps its row. */
public record OperationStep(String name, OperationStatus status, Instant startedAt, Instant finishedAt,
                            String detail) {
}
