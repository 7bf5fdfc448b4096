package io.virga.hypervisor;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What sort of guest an instance is (the flavor's {@code kind}). */
public enum GuestKind {
    /** A full virtual machine with its own kernel. */
    VM,
    /** An OS-level instance sharing the host kernel. */
    CONTAINER,
    /** A virtual machine meant for an interactive desktop session. */
    DESKTOP;

    /** The lower-case name used on the wire and in the API, e.g. {@code vm}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scheduler trait of a host that can run this kind, e.g. {@code COMPUTE_GUEST_VM}. */
    public String trait() {
        return "COMPUTE_GUEST_" + name();
    }

    /**
     * The kind named {@code wireName} (lower-case, as in the API).
     *
     * @throws IllegalArgumentException naming the allowed values when there is none
     */
    public static GuestKind fromWire(String wireName) {
        for (GuestKind k : values()) {
            if (k.wireName().equals(wireName)) {
                return k;
            }
        }
        throw new IllegalArgumentException("must be one of " + allowed() + ", got '" + wireName + "'");
    }

    /** The allowed wire names, comma separated. */
    public static String allowed() {
        return Arrays.stream(values()).map(GuestKind::wireName).collect(Collectors.joining(", "));
    }
}
