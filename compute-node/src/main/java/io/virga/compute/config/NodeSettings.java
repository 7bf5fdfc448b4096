package io.virga.compute.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/** Values derived from {@link ComputeConfig}, checked once so that a bad setting stops the node at start. */
public final class NodeSettings {
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private NodeSettings() {
    }

    /** The state directory: {@code virga.compute.state-dir}, else {@code .virga/compute/<host-name>}. */
    public static Path stateDir(ComputeConfig config) {
        return Path.of(config.stateDir().filter(s -> !s.isBlank()).orElse(".virga/compute/" + config.hostName()));
    }

    /** Whether disks are resolved through storage-svc: {@code virga.compute.resolve-images}, else not for sim. */
    public static boolean resolveImages(ComputeConfig config) {
        return config.resolveImages().orElse(!"sim".equals(config.driver()));
    }

    /**
     * Checks the settings that the types alone do not.
     *
     * @throws IllegalStateException naming the key and the bad value
     */
    public static void validate(ComputeConfig config) {
        if (!HOST_NAME.matcher(config.hostName()).matches()) {
            throw new IllegalStateException("virga.compute.host-name must be 1-63 letters, digits, '.', '_' or '-', got '"
                    + config.hostName() + "'");
        }
        if (config.advertiseAddress().isBlank()) {
            throw new IllegalStateException("virga.compute.advertise-address must not be blank");
        }
        if (config.workQueueCapacity() < 1) {
            throw new IllegalStateException("virga.compute.work-queue-capacity must be at least 1, got "
                    + config.workQueueCapacity());
        }
        if (config.eventQueueCapacity() < 1) {
            throw new IllegalStateException("virga.compute.event-queue-capacity must be at least 1, got "
                    + config.eventQueueCapacity());
        }
        requirePositive("virga.compute.heartbeat-interval", config.heartbeatInterval());
        requirePositive("virga.compute.power-sync-interval", config.powerSyncInterval());
    }

    private static void requirePositive(String key, Duration value) {
        if (value.isNegative() || value.toMillis() == 0) {
            throw new IllegalStateException(key + " must be at least 1 ms, got " + value);
        }
    }
}
