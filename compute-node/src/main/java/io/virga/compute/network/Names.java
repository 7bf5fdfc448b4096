package io.virga.compute.network;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Linux names of what the data plane makes (at most 15 characters, prefix
 * {@value #PREFIX}, so a node's devices are recognisable and reconcilable):
 * {@code vn-br-<vni>} bridge and {@code vn-vx-<vni>} VXLAN device per network,
 * {@code vn-t<hash>} host device per port.
 */
public final class Names {
    public static final String PREFIX = "vn-";
    public static final String BRIDGE = PREFIX + "br-";
    public static final String VXLAN = PREFIX + "vx-";
    public static final String PORT = PREFIX + "t";

    private Names() {
    }

    public static String bridge(int vni) {
        return BRIDGE + vni;
    }

    public static String vxlan(int vni) {
        return VXLAN + vni;
    }

    /** The host-side device of a port (tap or veth end), 14 characters. */
    public static String portDevice(String portId) {
        return PORT + hash(portId, 11);
    }

    /** The VNI of a bridge or VXLAN device name of ours, or -1. */
    public static int vniOf(String device) {
        String digits = device.startsWith(BRIDGE) ? device.substring(BRIDGE.length())
                : device.startsWith(VXLAN) ? device.substring(VXLAN.length()) : "";
        return digits.matches("[1-9][0-9]{0,7}") ? Integer.parseInt(digits) : -1;
    }

    /** An nftables chain name for a port ({@code [a-z0-9_]}). */
    static String chain(String direction, String portId) {
        return direction + "_" + portId.toLowerCase().replaceAll("[^a-z0-9]", "_");
    }

    static String hash(String s, int hexChars) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, hexChars);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
