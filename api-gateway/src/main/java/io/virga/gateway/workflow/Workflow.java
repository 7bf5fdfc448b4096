package io.virga.gateway.workflow;

import java.time.Instant;

/**
 * One row of {@code workflows} as read (or claimed) by a runner.
 *
 * @param operationId  the operation this workflow carries out (also the workflow's id)
 * @param data         the flow's data as stored (JSON with a {@code version}), decoded by {@link FlowData}
 * @param failingSince when the current step first met a transient outage without a success since, or null
 * @param leaseOwner   the claim token of the runner holding it, or null
 */
public record Workflow(String operationId, String resourceType, String resourceId, String flow, String step,
                       WorkflowState state, int attempts, Instant failingSince, String data,
                       boolean cancelRequested, String leaseOwner, Instant leaseUntil, Instant nextRunAt) {
}
