package io.virga.gateway.instance.flow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.compute.ComputeClients;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.instance.blockdevice.BlockDeviceStep;
import io.virga.gateway.instance.blockdevice.ReleaseBlockDevicesStep;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.quota.QuotaService;
import io.virga.gateway.workflow.Workflow;
import io.virga.gateway.workflow.WorkflowState;
import jakarta.inject.Singleton;

/**
 * Building an instance ({@code instance.create}):
 * <pre>
 * ports → boot_volume → [block_devices] → claim → spawn → wait_spawn ──RUNNING──▶ ACTIVE
 * ([block_devices]: only when the create asks for boot_volume / volumes)
 *   └─ (container) ────────▲                │ FAILED / timeout
 *                          └── reschedule ◀─┘   (exclude the host; at most maxHosts)
 * compensation (unschedulable, refused, retries exhausted, hosts exhausted):
 * destroy_guest → release_claim → delete_ports → delete_volumes → release_block_devices → mark_error
 *   (quota back, ERROR + fault)
 * boot_volume is skipped when the instance boots from a volume (block_devices makes or attaches it).
 * </pre>
 * A container has no boot volume: its root filesystem is the node's overlay
 * on the image. A delete arriving meanwhile asks this workflow to cancel; it stops before
 * its next step and the delete (queued behind it) cleans up.
 */
@Singleton
public class CreateFlow extends InstanceFlow<CreateData> {
    public static final String NAME = "instance.create";
    public static final String PORTS = "ports";
    public static final String BOOT_VOLUME = "boot_volume";
    public static final String CLAIM = "claim";
    public static final String SPAWN = "spawn";
    public static final String WAIT_SPAWN = "wait_spawn";
    public static final String RESCHEDULE = "reschedule";

    public CreateFlow(ServiceClients clients, ComputeClients compute, InstanceFlowConfig config,
                      InstanceRepository instances, InstanceStateWriter writer,
                      OperationRepository operations, QuotaService quota, InstanceMetrics metrics,
                      OrphanGuests orphans, io.virga.gateway.host.HostLiveness liveness) {
        super(instances, writer);
        GuestDestroyer destroyer = new GuestDestroyer(compute, orphans, config, metrics);
        add(new PortsStep(clients, config, instances, BOOT_VOLUME, CLAIM));
        add(new BootVolumeStep(clients, config, instances, BlockDeviceStep.NAME));
        add(new BlockDeviceStep(clients, config, instances, CLAIM));
        add(new ClaimStep(clients, config, instances, writer, SPAWN));
        add(new SpawnStep(compute, config));
        add(new WaitSpawnStep(instances, writer, metrics, config, liveness));
        add(new RescheduleStep(clients, destroyer, instances, writer, config));
        add(new CleanupSteps.DestroyGuest<>(destroyer));
        add(new CleanupSteps.ReleaseClaim<>(clients, config));
        add(new CleanupSteps.DeletePorts<>(clients, config, instances));
        add(new CleanupSteps.DeleteVolumes<>(clients, config, instances, ReleaseBlockDevicesStep.NAME));
        add(new ReleaseBlockDevicesStep(clients, config, FinalSteps.MARK_ERROR));
        add(new FinalSteps.MarkError(writer, instances, operations, quota, metrics));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<CreateData> dataType() {
        return CreateData.class;
    }

    @Override
    public int dataVersion() {
        return CreateData.VERSION;
    }

    /** 1 → 2: the excluded hosts moved into the data (V4 copies them there; absent means none). */
    @Override
    public ObjectNode upgrade(ObjectNode data, int from) {
        if (from == 1) {
            if (!data.has("excludedHosts")) {
                data.putArray("excludedHosts");
            }
            return data;
        }
        return super.upgrade(data, from);
    }

    @Override
    public String firstStep() {
        return PORTS;
    }

    @Override
    public String firstCompensationStep() {
        return CleanupSteps.DESTROY_GUEST;
    }

    @Override
    public Fault cancelFault(Workflow workflow) {
        return new Fault("the instance was deleted while it was being built", Fault.CANCELLED);
    }

    @Override
    protected InstanceTask taskOf(String step, WorkflowState state, Instance instance) {
        if (instance.status() != InstanceStatus.BUILDING) {
            return null; // a delete took over; its task stands
        }
        if (state == WorkflowState.COMPENSATING) {
            return InstanceTask.CLEANING_UP;
        }
        return switch (step) {
            case PORTS -> InstanceTask.NETWORKING;
            case BOOT_VOLUME, BlockDeviceStep.NAME -> InstanceTask.BLOCK_DEVICE_MAPPING;
            case CLAIM -> InstanceTask.SCHEDULING;
            default -> InstanceTask.SPAWNING;
        };
    }
}
