package io.virga.compute.network;

import io.virga.hypervisor.AttachmentType;
import io.virga.hypervisor.HostAttachment;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code linux} data plane: Linux bridges {@code vn-br-<vni>}, VXLAN
 * devices {@code vn-vx-<vni>} (UDP 4789 from {@code underlayIp}, head-end
 * replication to every peer node by all-zero FDB entries, no learning over
 * the underlay), and nftables ({@link NftRuleset}), all in the node's network
 * namespace ({@code namespace}; null: the host's own).
 *
 * <p>Thread-safe: changes are serialised on this object (filters are small;
 * one {@code nft -f} run takes a few milliseconds).
 */
public final class LinuxDataPlane implements DataPlane {
    /** MTU of guest NICs on a VXLAN-backed network (1500 minus the 50-byte VXLAN overhead). */
    public static final int VXLAN_MTU = 1450;

    private final String namespace;
    private final String underlayIp;
    private final List<String> peers;
    private final Commands commands;
    private volatile List<PortFilter> applied = List.of();

    /**
     * @param namespace  where bridges, VXLAN devices and rules live (must exist), or null for the host's
     * @param underlayIp this node's address for VXLAN, or null for node-local networks only
     * @param peers      the other nodes' underlay addresses
     */
    public LinuxDataPlane(String namespace, String underlayIp, List<String> peers) {
        this.namespace = namespace;
        this.underlayIp = underlayIp;
        this.peers = List.copyOf(peers);
        this.commands = new Commands(namespace);
    }

    @Override
    public synchronized void ensureNetwork(int vni) {
        String bridge = Names.bridge(vni);
        if (exists(bridge)) {
            return;
        }
        commands.check("creating bridge " + bridge, "ip", "link", "add", bridge, "type", "bridge");
        try {
            if (underlayIp != null) {
                String vx = Names.vxlan(vni);
                commands.check("creating VXLAN " + vx, "ip", "link", "add", vx, "type", "vxlan", "id",
                        String.valueOf(vni), "local", underlayIp, "dstport", "4789", "nolearning");
                commands.check("attaching " + vx, "ip", "link", "set", vx, "master", bridge, "up");
                for (String peer : peers) {
                    commands.check("flooding " + vx + " to " + peer, "bridge", "fdb", "append",
                            "00:00:00:00:00:00", "dev", vx, "dst", peer);
                }
                commands.check("setting the MTU of " + bridge, "ip", "link", "set", bridge, "mtu",
                        String.valueOf(VXLAN_MTU));
            }
            commands.check("bringing up " + bridge, "ip", "link", "set", bridge, "up");
        } catch (DataPlaneException e) {
            removeNetwork(vni);
            throw e;
        }
    }

    @Override
    public HostAttachment attachment(AttachmentType type, int vni, String portId) {
        return new HostAttachment(type, Names.bridge(vni), Names.portDevice(portId),
                underlayIp == null ? 0 : VXLAN_MTU, namespace);
    }

    @Override
    public synchronized void applyFilters(List<PortFilter> ports) {
        commands.checkWithInput("applying the security-group filter", NftRuleset.render(ports), "nft", "-f", "-");
        applied = List.copyOf(ports);
    }

    @Override
    public synchronized Set<Integer> reconcile(Set<Integer> keepVnis) {
        Set<Integer> removed = new TreeSet<>();
        for (int vni : networks()) {
            if (!keepVnis.contains(vni)) {
                removeNetwork(vni);
                removed.add(vni);
            }
        }
        return removed;
    }

    @Override
    public Set<Integer> networks() {
        Set<Integer> out = new TreeSet<>();
        for (String line : commands.check("listing links", "ip", "-o", "link", "show").split("\n")) {
            String[] f = line.split(":\\s+", 3);
            if (f.length >= 2) {
                String name = f[1].split("@", 2)[0];
                int vni = Names.vniOf(name);
                if (vni > 0) {
                    out.add(vni);
                }
            }
        }
        return out;
    }

    @Override
    public List<PortFilter> filters() {
        return applied;
    }

    private void removeNetwork(int vni) {
        commands.run(null, "ip", "link", "del", Names.vxlan(vni));
        commands.run(null, "ip", "link", "del", Names.bridge(vni));
    }

    private boolean exists(String device) {
        return commands.run(null, "ip", "link", "show", "dev", device).ok();
    }
}
