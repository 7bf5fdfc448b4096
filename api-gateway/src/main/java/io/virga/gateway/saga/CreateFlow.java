package io.virga.gateway.saga;

import io.virga.gateway.compute.ComputeClients;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.quota.QuotaService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;

/**
 * Building an instance:
 * <pre>
 * ports → boot_volume → claim → spawn → wait_spawn ──RUNNING──▶ ACTIVE
 *                         ▲                 │ FAILED / timeout
 *                         └── reschedule ◀──┘   (exclude the host; at most maxHosts)
 * compensation (unschedulable, refused, retries exhausted, hosts exhausted):
 * destroy_guest → release_claim → delete_ports → delete_volumes → mark_error (quota back, ERROR + fault)
 * </pre>
 * If the instance is being deleted, the runner cancels this saga before its
 * next step and the delete saga cleans up.
 */
@ApplicationScoped
public class CreateFlow implements SagaFlow {
    public static final String PORTS = "ports";
    public static final String BOOT_VOLUME = "boot_volume";
    public static final String CLAIM = "claim";
    public static final String SPAWN = "spawn";
    public static final String WAIT_SPAWN = "wait_spawn";
    public static final String RESCHEDULE = "reschedule";

    private final Map<String, SagaStep> steps = new HashMap<>();

    public CreateFlow(ServiceClients clients, ComputeClients compute, SagaConfig config, InstanceRepository instances,
                      InstanceStateWriter writer, OperationRepository operations, QuotaService quota,
                      SagaMetrics metrics, OrphanGuests orphans) {
        GuestDestroyer destroyer = new GuestDestroyer(compute, orphans, config, metrics);
        add(new PortsStep(clients, config, instances, BOOT_VOLUME));
        add(new BootVolumeStep(clients, config, instances, CLAIM));
        add(new ClaimStep(clients, config, writer, SPAWN));
        add(new SpawnStep(compute, config));
        add(new WaitSpawnStep(writer, operations, metrics, config));
        add(new RescheduleStep(clients, destroyer, writer, config));
        add(new CleanupSteps.DestroyGuest(destroyer));
        add(new CleanupSteps.ReleaseClaim(clients, config));
        add(new CleanupSteps.DeletePorts(clients, config, instances));
        add(new CleanupSteps.DeleteVolumes(clients, config, instances, FinalSteps.MARK_ERROR));
        add(new FinalSteps.MarkError(writer, instances, operations, quota, metrics));
    }

    private void add(SagaStep step) {
        steps.put(step.name(), step);
    }

    @Override
    public SagaKind kind() {
        return SagaKind.CREATE;
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
    public SagaStep step(String name) {
        SagaStep step = steps.get(name);
        if (step == null) {
            throw new IllegalStateException("create saga has no step " + name);
        }
        return step;
    }

    @Override
    public InstanceTask taskOf(String step, SagaState state, Instance instance) {
        if (instance.status() != InstanceStatus.BUILDING) {
            return null; // a delete took over; its task stands
        }
        if (state == SagaState.COMPENSATING) {
            return InstanceTask.CLEANING_UP;
        }
        return switch (step) {
            case PORTS -> InstanceTask.NETWORKING;
            case BOOT_VOLUME -> InstanceTask.BLOCK_DEVICE_MAPPING;
            case CLAIM -> InstanceTask.SCHEDULING;
            default -> InstanceTask.SPAWNING;
        };
    }
}
