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
    /** The driver implements {@link Suspendable}. */
    public static final String SUSPEND = "COMPUTE_SUSPEND";
    /** The driver implements {@link Snapshottable}. */
    public static final String SNAPSHOT = "COMPUTE_SNAPSHOT";
    /** The driver implements {@link Rebuildable}. */
    public static final String REBUILD = "COMPUTE_REBUILD";
    /** The driver implements {@link Migratable}. */
    public static final String MIGRATE = "COMPUTE_MIGRATE";
    /** The driver implements {@link Migratable} and {@link Migratable#supportsLive()}. */
    public static final String LIVE_MIGRATE = "COMPUTE_LIVE_MIGRATE";
    /** The driver implements {@link Consoles}. */
    public static final String CONSOLE = "COMPUTE_CONSOLE";
    /** The driver implements {@link GraphicalConsole}. */
    public static final String GRAPHICAL_CONSOLE = "COMPUTE_GRAPHICAL_CONSOLE";
    /** The driver implements {@link VolumeHotplug}. */
    public static final String VOLUME_HOTPLUG = "COMPUTE_VOLUME_HOTPLUG";

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
        if (driver instanceof Suspendable) {
            traits.add(SUSPEND);
        }
        if (driver instanceof Snapshottable) {
            traits.add(SNAPSHOT);
        }
        if (driver instanceof Rebuildable) {
            traits.add(REBUILD);
        }
        if (driver instanceof Migratable m) {
            traits.add(MIGRATE);
            if (m.supportsLive()) {
                traits.add(LIVE_MIGRATE);
            }
        }
        if (driver instanceof Consoles) {
            traits.add(CONSOLE);
        }
        if (driver instanceof GraphicalConsole) {
            traits.add(GRAPHICAL_CONSOLE);
        }
        if (driver instanceof VolumeHotplug) {
            traits.add(VOLUME_HOTPLUG);
        }
        return traits;
    }
}
