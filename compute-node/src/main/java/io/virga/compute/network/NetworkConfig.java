package io.virga.compute.network;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The node's data plane settings, {@code virga.network.*}. */
@ConfigMapping(prefix = "virga.network")
public interface NetworkConfig {

    /**
     * {@code none} (NICs get no host attachment, as before), {@code sim} ({@link SimDataPlane}) or
     * {@code linux} ({@link LinuxDataPlane}).
     */
    @WithDefault("none")
    String backend();

    /** The network namespace bridges and rules live in (must exist); unset: the host's own. */
    Optional<String> namespace();

    /** This node's VXLAN underlay address; unset: networks stay node-local. */
    Optional<String> underlayIp();

    /** The other nodes' underlay addresses (VXLAN head-end replication). */
    Optional<List<String>> peers();

    /**
     * How often the node asks network-svc for the filters of its ports (ResolvePortSecurity) and
     * applies them when they changed: the bound on rule-change latency.
     */
    @WithDefault("500ms")
    Duration syncInterval();

    /**
     * Whether this node is a router node (backend {@code linux} only): it realises every router of
     * network-svc (ResolveRouters, polled every sync-interval) as a namespace {@code vrt-<id>} with
     * legs into the bridges of the networks it joins ({@link LinuxRouters}).
     */
    @WithDefault("false")
    boolean routers();
}
