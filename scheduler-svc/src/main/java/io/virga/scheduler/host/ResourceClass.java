package io.virga.scheduler.host;

import java.util.regex.Pattern;

/**
 * Resource class names. The three standard ones come from every host
 * report; others ({@code PCI_GPU}, {@code IPV4_ADDRESS}, custom
 * {@code CUSTOM_*}) are set per host by an admin and requested by name.
 */
public final class ResourceClass {
    public static final String VCPU = "VCPU";
    public static final String MEMORY_MB = "MEMORY_MB";
    public static final String DISK_GB = "DISK_GB";
    public static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private ResourceClass() {
    }
}
