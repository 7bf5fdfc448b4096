package io.virga.gateway.instance;

import java.util.Optional;

/** Work in progress on an instance; null (no task) when the instance is at rest. */
public enum InstanceTask {
    SCHEDULING("scheduling"),
    NETWORKING("networking"),
    BLOCK_DEVICE_MAPPING("block_device_mapping"),
    SPAWNING("spawning"),
    CLEANING_UP("cleaning_up"),
    DELETING("deleting");

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
