package io.virga.gateway.compute;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the gateway talks to compute nodes (reached at the endpoint a scheduler claim names). */
@ConfigMapping(prefix = "virga.compute")
public interface ComputeConfig {
    /** Deadline of one Spawn / Destroy call (the node answers at once; the guest boots afterwards). */
    @WithDefault("10s")
    Duration callTimeout();
}
