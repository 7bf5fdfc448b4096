package io.virga.gateway.saga;

import io.grpc.StatusRuntimeException;
import io.virga.gateway.compute.ComputeClients;
import org.jboss.logging.Logger;

/**
 * Destroys a guest on a compute node for a saga step. A failure is thrown
 * (the runner retries the step with backoff) until the step has used its
 * attempts; then the host is given up on — a dead host must not keep an
 * instance stuck — and the outcome says the guest is not confirmed destroyed.
 */
final class GuestDestroyer {
    private static final Logger LOG = Logger.getLogger(GuestDestroyer.class);

    private final ComputeClients compute;
    private final SagaConfig config;
    private final SagaMetrics metrics;

    GuestDestroyer(ComputeClients compute, SagaConfig config, SagaMetrics metrics) {
        this.compute = compute;
        this.config = config;
        this.metrics = metrics;
    }

    /** @return a readable outcome for the operation's step detail */
    String destroy(SagaContext ctx, String hostName, String endpoint) {
        String instanceId = ctx.instance().id();
        try {
            boolean existed = compute.destroy(endpoint, instanceId).getExisted();
            return existed ? "guest destroyed on " + hostName : "no guest on " + hostName;
        } catch (StatusRuntimeException e) {
            if (ctx.saga().attempts() + 1 < config.maxAttempts()) {
                throw e;
            }
            LOG.warnf("giving up destroying guest %s on %s (%s) after %d attempts: %s", instanceId, hostName,
                    endpoint, ctx.saga().attempts() + 1, SagaFailures.describe(e));
            metrics.destroyUnconfirmed();
            return hostName + " unreachable, guest not confirmed destroyed: " + SagaFailures.describe(e);
        }
    }
}
