package io.virga.gateway.saga;

import io.virga.gateway.compute.ComputeClients;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.quota.QuotaService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Deleting an instance (status DELETING, task deleting):
 * <pre>
 * wait_for_create → destroy_guest → release_claim → delete_ports → delete_volumes → mark_deleted
 * </pre>
 * Every step is cleanup (retried until done, never compensated). The first
 * waits until a create saga of the same instance has stopped, so the two never
 * act on the instance at once.
 */
@ApplicationScoped
public class DeleteFlow implements SagaFlow {
    public static final String WAIT_FOR_CREATE = "wait_for_create";

    private final Map<String, SagaStep> steps = new HashMap<>();

    public DeleteFlow(ServiceClients clients, ComputeClients compute, SagaConfig config, InstanceRepository instances,
                      InstanceStateWriter writer, OperationRepository operations, QuotaService quota,
                      SagaMetrics metrics, SagaRepository sagas, io.virga.platform.db.Tx tx,
                      OrphanGuests orphans) {
        add(new WaitForCreate(sagas, tx));
        add(new CleanupSteps.DestroyGuest(new GuestDestroyer(compute, orphans, config, metrics)));
        add(new CleanupSteps.ReleaseClaim(clients, config));
        add(new CleanupSteps.DeletePorts(clients, config, instances));
        add(new CleanupSteps.DeleteVolumes(clients, config, instances, FinalSteps.MARK_DELETED));
        add(new FinalSteps.MarkDeleted(writer, instances, operations, quota));
    }

    private void add(SagaStep step) {
        steps.put(step.name(), step);
    }

    @Override
    public SagaKind kind() {
        return SagaKind.DELETE;
    }

    @Override
    public String firstStep() {
        return WAIT_FOR_CREATE;
    }

    @Override
    public String firstCompensationStep() {
        throw new IllegalStateException("a delete saga does not compensate; its steps retry until done");
    }

    @Override
    public SagaStep step(String name) {
        SagaStep step = steps.get(name);
        if (step == null) {
            throw new IllegalStateException("delete saga has no step " + name);
        }
        return step;
    }

    @Override
    public InstanceTask taskOf(String step, SagaState state, Instance instance) {
        return null; // task "deleting" is set with DELETING and cleared with DELETED
    }

    /** Waits (polling, and nudging the create saga to notice the delete) until no create saga is running. */
    static final class WaitForCreate implements SagaStep {
        private static final long POLL_MS = 250;
        private final SagaRepository sagas;
        private final io.virga.platform.db.Tx tx;

        WaitForCreate(SagaRepository sagas, io.virga.platform.db.Tx tx) {
            this.sagas = sagas;
            this.tx = tx;
        }

        @Override
        public String name() {
            return WAIT_FOR_CREATE;
        }

        @Override
        public String what() {
            return "stopping the build";
        }

        @Override
        public boolean cleanup() {
            return true;
        }

        @Override
        public StepResult run(SagaContext ctx) {
            String instanceId = ctx.instance().id();
            boolean building = tx.run(c -> {
                boolean running = sagas.find(c, instanceId, SagaKind.CREATE)
                        .map(s -> !s.state().isFinal()).orElse(false);
                if (running) {
                    sagas.poke(c, instanceId, SagaKind.CREATE);
                }
                return running;
            });
            if (building) {
                return StepResult.waitUntil(Instant.now().plusMillis(POLL_MS), "waiting for the build to stop");
            }
            return StepResult.next(CleanupSteps.DESTROY_GUEST, "no build running");
        }
    }
}
