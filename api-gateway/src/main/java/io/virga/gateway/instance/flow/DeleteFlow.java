package io.virga.gateway.instance.flow;

import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.compute.ComputeClients;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.quota.QuotaService;
import io.virga.gateway.workflow.WorkflowState;
import jakarta.inject.Singleton;

/**
 * Deleting an instance ({@code instance.delete}; status DELETING, task deleting):
 * <pre>
 * destroy_guest → release_claim → delete_ports → delete_volumes → abandon_move → mark_deleted
 * (abandon_move: during a resize or migration, the other host's guest and the destination claim)
 * </pre>
 * Every step is cleanup (retried until done, never compensated). Started with
 * {@link io.virga.gateway.workflow.Workflows#startPreempting}: if another
 * workflow (a create, an action) is running on the instance, it is asked to
 * cancel and this one waits until it has stopped, so the two never act on the
 * instance at once.
 */
@Singleton
public class DeleteFlow extends InstanceFlow<NoData> {
    public static final String NAME = "instance.delete";

    public DeleteFlow(ServiceClients clients, ComputeClients compute, InstanceFlowConfig config,
                      InstanceRepository instances, InstanceStateWriter writer, OperationRepository operations,
                      QuotaService quota, InstanceMetrics metrics, OrphanGuests orphans,
                      io.virga.gateway.instance.migration.MoveParts moves, io.virga.platform.db.Tx tx) {
        super(instances, writer);
        add(new CleanupSteps.DestroyGuest<>(new GuestDestroyer(compute, orphans, config, metrics)));
        add(new CleanupSteps.ReleaseClaim<>(clients, config));
        add(new CleanupSteps.DeletePorts<>(clients, config, instances));
        add(new CleanupSteps.DeleteVolumes<>(clients, config, instances,
                io.virga.gateway.instance.migration.AbandonMoveStep.NAME));
        add(new io.virga.gateway.instance.migration.AbandonMoveStep<>(moves, tx, FinalSteps.MARK_DELETED));
        add(new FinalSteps.MarkDeleted(writer, instances, operations, quota));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<NoData> dataType() {
        return NoData.class;
    }

    @Override
    public String firstStep() {
        return CleanupSteps.DESTROY_GUEST;
    }

    @Override
    public String firstCompensationStep() {
        throw new IllegalStateException("a delete does not compensate; its steps retry until done");
    }

    @Override
    protected InstanceTask taskOf(String step, WorkflowState state, Instance instance) {
        return null; // task "deleting" is set with DELETING and cleared with DELETED
    }
}
