package io.virga.hypervisor;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a guest's devices are virtualized (the flavor's {@code virt_mode}). */
public enum VirtMode {
    /** Emulated devices (e1000, IDE): runs unmodified guests. */
    FULL,
    /** Paravirtual (virtio) devices. */
    PARA,
    /** Hardware-assisted CPU with virtio devices. */
    HYBRID;

    /** The lower-case name used on the wire and in the API, e.g. {@code para}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scheduler trait of a host that can run this mode, e.g. {@code VIRT_MODE_PARA}. */
    public String trait() {
        return "VIRT_MODE_" + name();
    }

    /**
     * The mode named {@code wireName} (lower-case, as in the API).
     *
     * @throws IllegalArgumentException naming the allowed values when there is none
     */
    public static VirtMode fromWire(String wireName) {
        for (VirtMode m : values()) {
            if (m.wireName().equals(wireName)) {
                return m;
            }
        }
        throw new IllegalArgumentException("must be one of " + allowed() + ", got '" + wireName + "'");
    }

    /** The allowed wire names, comma separated. */
    public static String allowed() {
        return Arrays.stream(values()).map(VirtMode::wireName).collect(Collectors.joining(", "));
    }
}
