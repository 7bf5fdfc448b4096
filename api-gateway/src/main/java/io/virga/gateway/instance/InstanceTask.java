package io.virga.gateway.instance;

import java.util.Optional;

/** Work in progress on an instance; null (no task) when the instance is at rest. */
public enum InstanceTask {
    SCHEDULING("scheduling"),
    NETWORKING("networking"),
    BLOCK_DEVICE_MAPPING("block_device_mapping"),
    SPAWNING("spawning"),
    CLEANING_UP("cleaning_up"),
    DELETING("deleting"),
    POWERING_OFF("powering_off"),
    POWERING_ON("powering_on"),
    REBOOTING("rebooting"),
    REBOOTING_HARD("rebooting_hard"),
    PAUSING("pausing"),
    UNPAUSING("unpausing"),
    SUSPENDING("suspending"),
    RESUMING("resuming"),
    IMAGE_SNAPSHOT("image_snapshot"),
    REBUILDING("rebuilding"),
    RESIZE_MIGRATING("resize_migrating"),
    RESIZE_CONFIRMING("resize_confirming"),
    RESIZE_REVERTING("resize_reverting"),
    MIGRATING("migrating"),
    REBUILD_SPAWNING("rebuild_spawning");

    private final String value;

    InstanceTask(String value) {
        this.value = value;
    }

    /** The API and database spelling, e.g. {@code block_device_mapping}. */
    public String value() {
        return value;
    }

    public static Optional<InstanceTask> fromValue(String value) {
        for (InstanceTask t : values()) {
            if (t.value.equals(value)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
