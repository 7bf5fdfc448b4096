package io.virga.hypervisor;

/**
 * The host side of a guest NIC (the data-plane contract of an interface).
 *
 * @param type       tap, veth or none
 * @param bridge     the Linux bridge to enslave the host device to, or {@code null} for none
 * @param deviceName the host device name (at most 15 characters, as Linux allows), or {@code null} to let
 *                   the driver derive one from the port id
 * @param mtu        the MTU, 68-65535, or 0 for the host default (1500)
 * @param namespace  the network namespace the bridge lives in, or {@code null} for the host's own
 */
public record HostAttachment(AttachmentType type, String bridge, String deviceName, int mtu, String namespace) {
    public static final HostAttachment NONE = new HostAttachment(AttachmentType.NONE, null, null, 0, null);

    public HostAttachment {
        if (type == null) {
            throw new InvalidGuestSpecException("attachment.type", "is required");
        }
        bridge = bridge == null || bridge.isBlank() ? null : Checks.text("attachment.bridge", bridge, 15);
        deviceName = deviceName == null || deviceName.isBlank() ? null : Checks.text("attachment.deviceName", deviceName, 15);
        namespace = namespace == null || namespace.isBlank() ? null : Checks.text("attachment.namespace", namespace, 64);
        if (mtu != 0 && (mtu < 68 || mtu > 65535)) {
            throw new InvalidGuestSpecException("attachment.mtu", "must be 68-65535 or 0, got " + mtu);
        }
    }
}
