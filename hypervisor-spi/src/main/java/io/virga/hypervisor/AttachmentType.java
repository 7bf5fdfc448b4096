package io.virga.hypervisor;

/** How a guest NIC meets the host's network. */
public enum AttachmentType {
    /** Not connected to any host device (the guest sees a NIC with no link partner). */
    NONE,
    /** A tap device (VMs), enslaved to {@link HostAttachment#bridge()} when one is named. */
    TAP,
    /** A veth pair (containers): one end in the guest's namespace, the other enslaved to the bridge. */
    VETH
}
