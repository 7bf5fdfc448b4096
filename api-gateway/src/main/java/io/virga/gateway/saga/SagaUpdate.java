package io.virga.gateway.saga;

import java.time.Instant;
import java.util.List;

/**
 * The new state of a saga after one step.
 *
 * @param clearObserved forget the compute node's last observation (it was consumed or is stale)
 * @param nextRunAt     when the saga is due again (moved to now if an observation is waiting)
 */
public record SagaUpdate(String step, SagaState state, int attempts, List<String> excludedHosts, SagaData data,
                         boolean clearObserved, Instant nextRunAt) {
}
