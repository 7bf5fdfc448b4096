package io.virga.gateway.instance.action;

import io.grpc.StatusRuntimeException;
import io.virga.contracts.compute.v1.Disk;
import io.virga.contracts.compute.v1.NetworkInterface;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.contracts.network.v1.GetNetworkRequest;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.error.GrpcProblems;
import io.virga.gateway.instance.FlavorSnapshot;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstancePort;
import io.virga.gateway.instance.InstanceVolume;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * The guest an existing instance is, as a compute-node {@link SpawnRequest}:
 * what a rebuild, an incoming migration or an evacuation hands the
 * destination. The interfaces are the instance's ports (same MACs and
 * addresses, in position order, with their networks' VNIs), the boot disk
 * its boot volume, as the create flow's spawn builds them.
 */
public final class GuestSpecs {
    private GuestSpecs() {
    }

    /**
     * @param flavor the flavor the guest gets (a resize's new one, or the instance's)
     * @param vnis   VXLAN id per network id ({@link #vnis})
     * @param imageId the boot image
     * @param boot   the boot volume, or null for none
     */
    public static SpawnRequest of(Instance i, FlavorSnapshot flavor, Map<String, Integer> vnis, String imageId,
                                  InstanceVolume boot) {
        SpawnRequest.Builder b = SpawnRequest.newBuilder()
                .setInstanceId(i.id())
                .setProjectId(i.projectId())
                .setName(i.name())
                .setVcpus(flavor.vcpus())
                .setRamMb(flavor.ramMb())
                .setKind(flavor.kind())
                .setVirtMode(flavor.virtMode());
        i.ports().stream().sorted(Comparator.comparingInt(InstancePort::position))
                .forEach(p -> b.addInterfaces(NetworkInterface.newBuilder()
                        .setPortId(p.portId())
                        .setNetworkId(p.networkId())
                        .setMacAddress(p.macAddress())
                        .setIpAddress(p.ipAddress())
                        .setVni(vnis.getOrDefault(p.networkId(), 0))));
        if (boot != null) {
            b.addDisks(Disk.newBuilder().setVolumeId(boot.volumeId()).setSizeGb(boot.sizeGb()).setBoot(true)
                    .setImageId(imageId));
        }
        if (i.userData() != null) {
            b.setUserData(new String(Base64.getDecoder().decode(i.userData()), StandardCharsets.UTF_8));
        }
        return b.build();
    }

    /** The instance's boot volume, or null. */
    public static InstanceVolume bootVolume(Instance i) {
        return i.volumes().stream().filter(InstanceVolume::boot).findFirst().orElse(null);
    }

    /**
     * The VNI of each network the instance has a port on (network-svc
     * {@code GetNetwork}), for answering a request.
     *
     * @throws io.virga.gateway.error.ApiException when network-svc refuses or cannot answer
     */
    public static Map<String, Integer> vnis(ServiceClients clients, Duration timeout, Instance i) {
        Map<String, Integer> out = new HashMap<>();
        for (InstancePort p : i.ports()) {
            if (out.containsKey(p.networkId())) {
                continue;
            }
            try {
                out.put(p.networkId(), clients.network(timeout).getNetwork(GetNetworkRequest.newBuilder()
                        .setProjectId(i.projectId()).setId(p.networkId()).build()).getVni());
            } catch (StatusRuntimeException e) {
                throw GrpcProblems.from(e);
            }
        }
        return out;
    }
}
