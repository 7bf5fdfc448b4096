package io.virga.hypervisor;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Scheduler trait names that describe what a host's driver can do. */
public final class Traits {
    /** The driver implements {@link PowerControl}. */
    public static final String POWER_CONTROL = "COMPUTE_POWER_CONTROL";
    /** The driver implements {@link Pausable}. */
    public static final String PAUSE = "COMPUTE_PAUSE";

    private Traits() {
    }

    /** The trait naming a driver type, e.g. {@code COMPUTE_SIM} for {@code sim}. */
    public static String computeType(String type) {
        return "COMPUTE_" + type.toUpperCase(Locale.ROOT);
    }

    /** The traits of the optional capability interfaces {@code driver} implements. */
    public static Set<String> capabilities(Hypervisor driver) {
        Set<String> traits = new TreeSet<>();
        if (driver instanceof PowerControl) {
            traits.add(POWER_CONTROL);
        }
        if (driver instanceof Pausable) {
            traits.add(PAUSE);
        }
        return traits;
    }
}
