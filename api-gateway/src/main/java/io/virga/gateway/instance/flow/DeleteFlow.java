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
 * destroy_guest → release_claim → delete_ports → delete_volumes → mark_deleted
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
                      QuotaService quota, InstanceMetrics metrics, OrphanGuests orphans) {
        super(instances, writer);
        add(new CleanupSteps.DestroyGuest<>(new GuestDestroyer(compute, orphans, config, metrics)));
        add(new CleanupSteps.ReleaseClaim<>(clients, config));
        add(new CleanupSteps.DeletePorts<>(clients, config, instances));
        add(new CleanupSteps.DeleteVolumes<>(clients, config, instances, FinalSteps.MARK_DELETED));
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
