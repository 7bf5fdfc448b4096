package io.virga.gateway.instance.flow;

import io.virga.gateway.instance.Instance;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.TxWork;
import io.virga.gateway.workflow.Failures;
import io.virga.gateway.instance.Instance;

import io.grpc.StatusRuntimeException;
import io.virga.gateway.compute.ComputeClients;
import org.jboss.logging.Logger;

/**
 * Destroys a guest on a compute node for a saga step. A failure is thrown
 * (the runner retries the step with backoff) until the step has used its
 * attempts; then the saga stops waiting for that host — a dead host must not
 * keep an instance stuck — and the guest is handed to the
 * {@link OrphanReaper} (recorded in the step's transaction), which destroys it
 * whenever the host answers again.
 */
public final class GuestDestroyer {
    private static final Logger LOG = Logger.getLogger(GuestDestroyer.class);

    private final ComputeClients compute;
    private final OrphanGuests orphans;
    private final InstanceFlowConfig config;
    private final InstanceMetrics metrics;

    public GuestDestroyer(ComputeClients compute, OrphanGuests orphans, InstanceFlowConfig config, InstanceMetrics metrics) {
        this.compute = compute;
        this.orphans = orphans;
        this.config = config;
        this.metrics = metrics;
    }

    /** What happened, for the operation's step detail, and what to record with the step. */
    public record Outcome(String detail, TxWork work) {
    }

    public Outcome destroy(StepContext<Instance, ?> ctx, String hostId, String hostName, String endpoint) {
        String instanceId = ctx.resource().id();
        try {
            boolean existed = compute.destroy(endpoint, instanceId).getExisted();
            return new Outcome(existed ? "guest destroyed on " + hostName : "no guest on " + hostName, TxWork.NONE);
        } catch (StatusRuntimeException e) {
            if (ctx.attempts() + 1 < config.destroyAttempts()) {
                throw e;
            }
            String why = Failures.describe(e);
            LOG.warnf("guest %s on %s (%s) not confirmed destroyed after %d attempts (%s); the orphan reaper"
                    + " takes over", instanceId, hostName, endpoint, ctx.attempts() + 1, why);
            metrics.destroyUnconfirmed();
            return new Outcome(hostName + " unreachable, guest not confirmed destroyed (" + why
                    + "); it will be destroyed when the host answers",
                    c -> orphans.record(c, instanceId, hostId, endpoint,
                            "destroy not confirmed: " + why));
        }
    }
}
