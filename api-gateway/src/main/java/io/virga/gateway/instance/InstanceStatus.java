package io.virga.gateway.instance;

/**
 * The stable status of an instance (what it is), as opposed to its
 * {@link InstanceTask} (what is being done to it). Allowed changes are
 * declared in {@link InstanceTransitions}.
 */
public enum InstanceStatus {
    BUILDING, ACTIVE, STOPPED, PAUSED, SUSPENDED, MIGRATING, RESIZING, VERIFY_RESIZE, REBUILDING, ERROR, DELETING,
    DELETED;

    /** Parses an API or database value (case-insensitive); empty when it names no status. */
    public static java.util.Optional<InstanceStatus> parse(String value) {
        if (value == null) {
            return java.util.Optional.empty();
        }
        for (InstanceStatus s : values()) {
            if (s.name().equalsIgnoreCase(value.trim())) {
                return java.util.Optional.of(s);
            }
        }
        return java.util.Optional.empty();
    }
}
