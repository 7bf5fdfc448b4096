package io.virga.compute.network;

import io.virga.hypervisor.AttachmentType;
import io.virga.hypervisor.HostAttachment;
import java.util.List;
import java.util.Set;

/**
 * A compute node's virtual network data plane: a bridge per network (VXLAN id)
 * that guests' NICs are plugged into, connected to the other nodes by VXLAN,
 * and the security-group filter of the node's ports.
 *
 * <p>Contract: {@link #ensureNetwork} is idempotent and precedes the guest's
 * spawn (the driver plugs the NIC's host device into the bridge named by
 * {@link #attachment}); {@link #applyFilters} replaces the whole filter
 * atomically with exactly the given ports' rules (no stale rule, no missing
 * one; a port not listed has no filter); {@link #reconcile} removes every
 * network of ours not in {@code keepVnis} (after a restart: what the node's
 * guests still need is kept). Failures raise {@link DataPlaneException} and
 * leave what existed before in place.
 */
public interface DataPlane {

    /** Makes the network's bridge (and VXLAN link to the peers) if missing. */
    void ensureNetwork(int vni);

    /** Where a NIC of port {@code portId} on network {@code vni} is plugged (device, bridge, MTU, namespace). */
    HostAttachment attachment(AttachmentType type, int vni, String portId);

    /** Replaces the node's whole filter by the given ports' rules, atomically. */
    void applyFilters(List<PortFilter> ports);

    /** Removes the networks of ours that are not in {@code keepVnis}; answers the removed VNIs. */
    Set<Integer> reconcile(Set<Integer> keepVnis);

    /** The networks (VNIs) that exist on the node now. */
    Set<Integer> networks();

    /** The filter applied last (empty before the first apply). */
    List<PortFilter> filters();
}
