package io.virga.gateway.saga;

import java.time.Instant;
import java.util.List;

/**
 * One row of {@code sagas} as claimed by a runner.
 *
 * @param observedState the compute node's latest answer to the current spawn
 *                      (a {@code PowerState} name), or null
 * @param leaseOwner    the claim token of the runner holding it, or null
 */
public record SagaRecord(String operationId, String instanceId, SagaKind kind, String step, SagaState state,
                         int attempts, List<String> excludedHosts, SagaData data, String observedState,
                         String observedHost, String observedMessage, String leaseOwner, Instant leaseUntil,
                         Instant nextRunAt) {
}
