package io.virga.gateway.instance.action;

import io.grpc.StatusRuntimeException;
import io.virga.contracts.compute.v1.Disk;
import io.virga.contracts.compute.v1.NetworkInterface;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.contracts.network.v1.GetNetworkRequest;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.Subnet;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.error.GrpcProblems;
import io.virga.gateway.instance.FlavorSnapshot;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstancePort;
import io.virga.gateway.instance.InstanceVolume;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
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

    /** A port's subnet facts the guest needs: its prefix length and default gateway (null: none). */
    public record Addressing(int prefixLength, String gateway) {
    }

    /**
     * @param flavor the flavor the guest gets (a resize's new one, or the instance's)
     * @param vnis   VXLAN id per network id ({@link #vnis})
     * @param addressing prefix and gateway per port id ({@link #addressing}); a port missing here gets
     *                   none (the node then assumes /24 or /64 with no route)
     * @param imageId the boot image
     * @param boot   the boot volume, or null for none (a container then gets its root disk on the image)
     */
    public static SpawnRequest of(Instance i, FlavorSnapshot flavor, Map<String, Integer> vnis,
                                  Map<String, Addressing> addressing, String imageId, InstanceVolume boot) {
        SpawnRequest.Builder b = SpawnRequest.newBuilder()
                .setInstanceId(i.id())
                .setProjectId(i.projectId())
                .setName(i.name())
                .setVcpus(flavor.vcpus())
                .setRamMb(flavor.ramMb())
                .setKind(flavor.kind())
                .setVirtMode(flavor.virtMode());
        i.ports().stream().sorted(Comparator.comparingInt(InstancePort::position))
                .forEach(p -> {
                    NetworkInterface.Builder nic = NetworkInterface.newBuilder()
                            .setPortId(p.portId())
                            .setNetworkId(p.networkId())
                            .setMacAddress(p.macAddress())
                            .setIpAddress(p.ipAddress())
                            .setVni(vnis.getOrDefault(p.networkId(), 0));
                    Addressing a = addressing.get(p.portId());
                    if (a != null) {
                        nic.setPrefixLength(a.prefixLength()).setGateway(a.gateway() == null ? "" : a.gateway());
                    }
                    b.addInterfaces(nic);
                });
        if (boot != null) {
            b.addDisks(Disk.newBuilder().setVolumeId(boot.volumeId()).setSizeGb(boot.sizeGb()).setBoot(true)
                    .setImageId(imageId));
        } else if ("container".equalsIgnoreCase(flavor.kind())) {
            // as create's spawn: a container's root disk is no volume but the node's overlay on the image
            b.addDisks(Disk.newBuilder().setVolumeId(rootDiskId(i))
                    .setSizeGb(Math.max(1, flavor.diskGb())).setBoot(true).setImageId(imageId));
        }
        if (i.userData() != null) {
            b.setUserData(new String(Base64.getDecoder().decode(i.userData()), StandardCharsets.UTF_8));
        }
        return b.build();
    }

    /** The id of a container's root disk, which is no volume: {@code root-<instance id>}. */
    public static String rootDiskId(Instance i) {
        return "root-" + i.id();
    }

    /** The instance's boot volume, or null. */
    public static InstanceVolume bootVolume(Instance i) {
        return i.volumes().stream().filter(InstanceVolume::boot).findFirst().orElse(null);
    }

    /**
     * Each network the instance has a port on, read once from network-svc
     * ({@code GetNetwork}), for {@link #vnis} and {@link #addressing}.
     *
     * @throws io.virga.gateway.error.ApiException when network-svc refuses or cannot answer
     */
    public static Map<String, Network> networks(ServiceClients clients, Duration timeout, Instance i) {
        Map<String, Network> out = new HashMap<>();
        for (InstancePort p : i.ports()) {
            if (out.containsKey(p.networkId())) {
                continue;
            }
            try {
                out.put(p.networkId(), clients.network(timeout).getNetwork(GetNetworkRequest.newBuilder()
                        .setProjectId(i.projectId()).setId(p.networkId()).build()));
            } catch (StatusRuntimeException e) {
                throw GrpcProblems.from(e);
            }
        }
        return out;
    }

    /** The VNI of each of the {@link #networks}, for the guest's interfaces. */
    public static Map<String, Integer> vnis(Map<String, Network> networks) {
        Map<String, Integer> out = new HashMap<>();
        networks.forEach((id, n) -> out.put(id, n.getVni()));
        return out;
    }

    /**
     * Each port's prefix length and gateway, from the subnet (of its network, one of
     * {@link #networks}) that holds its address, as the create flow hands them to the node;
     * ports whose subnet is not found are left out.
     */
    public static Map<String, Addressing> addressing(Instance i, Map<String, Network> networks) {
        Map<String, Addressing> out = new HashMap<>();
        for (InstancePort p : i.ports()) {
            Network n = networks.get(p.networkId());
            if (n == null) {
                continue;
            }
            for (Subnet sn : n.getSubnetsList()) {
                if (contains(sn.getCidr(), p.ipAddress())) {
                    int slash = sn.getCidr().indexOf('/');
                    out.put(p.portId(), new Addressing(Integer.parseInt(sn.getCidr().substring(slash + 1)),
                            sn.getGatewayIp().isEmpty() ? null : sn.getGatewayIp()));
                    break;
                }
            }
        }
        return out;
    }

    /** Whether {@code cidr} (e.g. {@code 10.0.0.0/24}) holds the literal address {@code ip}; false if either is malformed. */
    static boolean contains(String cidr, String ip) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        if (slash < 0 || ip == null || ip.isEmpty()) {
            return false;
        }
        try {
            byte[] net = literal(cidr.substring(0, slash));
            byte[] addr = literal(ip);
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            if (net == null || addr == null || net.length != addr.length || bits < 0 || bits > net.length * 8) {
                return false;
            }
            int shift = net.length * 8 - bits;
            return new BigInteger(1, net).shiftRight(shift).equals(new BigInteger(1, addr).shiftRight(shift));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The bytes of an IP literal (never a DNS lookup), or null. */
    private static byte[] literal(String s) {
        if (!s.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
