package io.virga.gateway.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.virga.contracts.network.v1.CreatePortRequest;
import io.virga.contracts.network.v1.Port;
import io.virga.contracts.storage.v1.CreateVolumeRequest;
import io.virga.contracts.storage.v1.Volume;
import io.virga.gateway.flavor.FlavorRepository;
import io.virga.gateway.instance.FlavorSnapshot;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstancePort;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.instance.TestCloudAccess;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.flow.CreateData;
import io.virga.gateway.instance.flow.CreateFlow;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.operation.OperationKind;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.operation.OperationStatus;
import io.virga.gateway.quota.QuotaService;
import io.virga.gateway.quota.Usage;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Create sagas standing at {@code boot_volume}, as a gateway leaves them when
 * it stops there: quota reserved, instance BUILDING, its port made and
 * recorded, the saga leased to some runner (or to none).
 */
@ApplicationScoped
public class MidwayCreates {
    /** The instance and the operation (= saga) id. */
    public record Midway(String instanceId, String operationId) {
    }

    private final Tx tx;
    private final InstanceRepository instances;
    private final OperationRepository operations;
    private final WorkflowRepository sagas;
    private final Workflows workflows;
    private final CreateFlow createFlow;
    private final QuotaService quota;
    private final FlavorRepository flavors;
    private final ServiceClients clients;

    public MidwayCreates(Tx tx, InstanceRepository instances, OperationRepository operations, WorkflowRepository sagas,
                         Workflows workflows, CreateFlow createFlow, QuotaService quota, FlavorRepository flavors,
                         ServiceClients clients) {
        this.workflows = workflows;
        this.createFlow = createFlow;
        this.tx = tx;
        this.instances = instances;
        this.operations = operations;
        this.sagas = sagas;
        this.quota = quota;
        this.flavors = flavors;
        this.clients = clients;
    }

    /**
     * @param volumeMade  the boot volume was made by storage-svc but not recorded (the dead gateway's
     *                    step was in flight); false: the step never started
     * @param leaseOwner  the lease token in the row, or null (then {@code leaseUntil} is ignored): due now
     */
    public Midway create(String projectId, String network, String image, boolean volumeMade, String leaseOwner,
                         Instant leaseUntil) {
        return create(Ids.newId("i"), projectId, network, image, volumeMade, leaseOwner, leaseUntil);
    }

    /** {@link #create} with the instance id chosen by the caller ({@code Ids.newId("i")}). */
    public Midway create(String id, String projectId, String network, String image, boolean volumeMade,
                         String leaseOwner, Instant leaseUntil) {
        FlavorSnapshot flavor = FlavorSnapshot.of(flavors.findByIdOrName(
                TestCloudAccess.flavor("m1.small", 1, 512, 2)).orElseThrow());
        String opId = Ids.newId("op");
        Port port = clients.network(Duration.ofSeconds(5)).createPort(CreatePortRequest.newBuilder()
                .setProjectId(projectId).setNetworkId(network).setDeviceId(id).setRequestId(id + ":port:0").build());
        Volume volume = !volumeMade ? null : clients.storage(Duration.ofSeconds(5)).createVolume(
                CreateVolumeRequest.newBuilder().setProjectId(projectId).setName("x-boot").setSizeGb(2)
                        .setImageId(image).setOwnerId(id).setDeleteOnTermination(true).setRequestId(id + ":boot")
                        .build());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instance instance = new Instance(id, projectId, "resumed", flavor, image, List.of(network), null,
                InstanceStatus.BUILDING, InstanceTask.BLOCK_DEVICE_MAPPING, null, null, null, null, true, 1, now, now,
                null, List.of(), List.of());
        CreateData data = new CreateData();
        data.bootSizeGb = 2;
        data.vnis = Map.of(network, 100);
        data.ports.add(new CreateData.PortRef(0, port.getId(), network, port.getIpAddress(), port.getMacAddress()));
        tx.run(c -> {
            quota.reserve(c, projectId, new Usage(1, 1, 512));
            instances.insert(c, instance);
            instances.addPort(c, id, new InstancePort(port.getId(), 0, network, port.getIpAddress(),
                    port.getMacAddress()));
            operations.insert(c, opId, projectId, OperationKind.INSTANCE_CREATE, id, now);
            operations.finishStep(c, opId, CreateFlow.PORTS, OperationStatus.SUCCEEDED, "made before the crash");
            operations.beginStep(c, opId, CreateFlow.BOOT_VOLUME);
            workflows.start(c, opId, createFlow, id, data);
            try (PreparedStatement ps = c.prepareStatement("UPDATE workflows SET step = ? WHERE operation_id = ?")) {
                ps.setString(1, CreateFlow.BOOT_VOLUME);
                ps.setString(2, opId);
                ps.executeUpdate();
            }
            if (leaseOwner != null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE workflows SET lease_owner = ?, lease_until = ?"
                        + " WHERE operation_id = ?")) {
                    ps.setString(1, leaseOwner);
                    ps.setTimestamp(2, Timestamp.from(leaseUntil));
                    ps.setString(3, opId);
                    ps.executeUpdate();
                }
            }
            return null;
        });
        if (volume != null) {
            assertEquals(volume.getId(), Fakes.get().storage.volumesOf(id).get(0).getId());
        }
        return new Midway(id, opId);
    }

    /** The instance's create workflow as it is now. */
    public Workflow saga(Midway m) {
        return tx.run(c -> sagas.latest(c, "instance", m.instanceId(), CreateFlow.NAME)).orElseThrow();
    }

    /** Waits (up to 30 s) until the instance has {@code status}. */
    public Instance awaitStatus(String id, InstanceStatus status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Instance last = null;
        while (System.nanoTime() < deadline) {
            last = tx.run(c -> instances.find(c, id)).orElseThrow();
            if (last.status() == status) {
                return last;
            }
            sleep(50);
        }
        throw new AssertionError("instance " + id + " did not become " + status + "; last " + last);
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
