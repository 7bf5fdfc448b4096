package io.virga.gateway.instance.flow;

import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.gateway.workflow.TxWork;
import io.virga.gateway.workflow.Failures;

import io.grpc.StatusRuntimeException;
import io.virga.contracts.compute.v1.Disk;
import io.virga.contracts.compute.v1.NetworkInterface;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.contracts.compute.v1.SpawnResponse;
import io.virga.gateway.compute.ComputeClients;
import io.virga.gateway.instance.Instance;
import java.time.Instant;

/**
 * Create step 4: asks the claimed host's compute node to build the guest
 * (idempotent on instance id): its NICs with their subnet's prefix and
 * gateway, the boot volume (a container's root disk, which is no volume,
 * as {@code root-<instance id>} on the image). The node answers at once; the outcome comes
 * later as a power-state event, awaited by {@link WaitSpawnStep} until the
 * spawn timeout. A node that refuses or cannot be reached counts as a failed
 * host: the saga moves on to another host rather than insisting.
 */
final class SpawnStep implements Step<Instance, CreateData> {
    private final ComputeClients compute;
    private final InstanceFlowConfig config;

    SpawnStep(ComputeClients compute, InstanceFlowConfig config) {
        this.compute = compute;
        this.config = config;
    }

    @Override
    public String name() {
        return CreateFlow.SPAWN;
    }

    @Override
    public String what() {
        return "spawning the guest (compute-node)";
    }

    @Override
    public StepResult run(StepContext<Instance, CreateData> ctx) {
        CreateData data = ctx.data();
        CreateData.ClaimRef claim = data.claim;
        if (claim == null) {
            return StepResult.next(CreateFlow.CLAIM, "no claim held; claiming again");
        }
        String failure;
        try {
            SpawnResponse r = compute.spawn(claim.endpoint(), request(ctx.resource(), data));
            if (r.getAccepted()) {
                Instant deadline = Instant.now().plus(config.spawnTimeout());
                data.spawnDeadline = deadline.toString();
                return new StepResult.Next(CreateFlow.WAIT_SPAWN, deadline,
                        "spawn accepted by " + claim.hostName(), TxWork.NONE, false);
            }
            failure = claim.hostName() + " refused to spawn the guest";
        } catch (StatusRuntimeException e) {
            failure = claim.hostName() + " could not spawn the guest: " + Failures.describe(e);
        }
        data.spawnFailure = failure;
        return StepResult.next(CreateFlow.RESCHEDULE, failure);
    }

    /** The id of a container's root disk, which is no volume: {@code root-<instance id>}. */
    static String rootDiskId(Instance i) {
        return io.virga.gateway.instance.action.GuestSpecs.rootDiskId(i);
    }

    static SpawnRequest request(Instance i, CreateData data) {
        SpawnRequest.Builder b = SpawnRequest.newBuilder()
                .setInstanceId(i.id())
                .setProjectId(i.projectId())
                .setName(i.name())
                .setVcpus(i.flavor().vcpus())
                .setRamMb(i.flavor().ramMb())
                .setKind(i.flavor().kind())
                .setVirtMode(i.flavor().virtMode());
        data.ports.stream().sorted(java.util.Comparator.comparingInt(CreateData.PortRef::position))
                .forEach(p -> b.addInterfaces(NetworkInterface.newBuilder()
                        .setPortId(p.portId())
                        .setNetworkId(p.networkId())
                        .setMacAddress(p.mac())
                        .setIpAddress(p.ip())
                        .setPrefixLength(p.prefixLength())
                        .setGateway(p.gateway() == null ? "" : p.gateway())
                        .setVni(data.vnis.getOrDefault(p.networkId(), 0))));
        if (data.bootVolume != null) {
            b.addDisks(Disk.newBuilder().setVolumeId(data.bootVolume.volumeId()).setSizeGb(data.bootVolume.sizeGb())
                    .setBoot(true).setImageId(i.imageId()));
        } else if (data.blockDevices != null && data.blockDevices.bootsFromVolume()) {
            // the boot disk is a volume: added with the other volumes below
        } else if ("container".equalsIgnoreCase(i.flavor().kind())) {
            // no volume: the root filesystem is the node's local overlay on the image
            b.addDisks(Disk.newBuilder().setVolumeId(rootDiskId(i)).setSizeGb(Math.max(1, data.bootSizeGb))
                    .setBoot(true).setImageId(i.imageId()));
        }
        io.virga.gateway.instance.blockdevice.BlockDeviceDisks.addTo(b, i.imageId(), data.blockDevices);
        if (i.userData() != null) {
            // the API takes user data as base64 (as Nova); the guest gets the bytes it stands for
            b.setUserData(new String(java.util.Base64.getDecoder().decode(i.userData()),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return b.build();
    }
}
