package io.virga.scheduler.host;

import java.time.Duration;
import java.time.Instant;

/** Liveness of a host, derived from its last heartbeat; never stored. */
public enum HostStatus {
    /** Last heartbeat younger than the host timeout. */
    UP,
    /** No heartbeat within the host timeout: never chosen for placement. */
    DOWN;

    public static HostStatus of(HostState host, Instant now, Duration timeout) {
        return Duration.between(host.lastHeartbeatAt(), now).compareTo(timeout) < 0 ? UP : DOWN;
    }
}
