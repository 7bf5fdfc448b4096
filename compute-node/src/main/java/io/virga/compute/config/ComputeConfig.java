package io.virga.compute.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The compute node's settings, {@code virga.compute.*}. The key names are fixed (launchers pass them). */
@ConfigMapping(prefix = "virga.compute")
public interface ComputeConfig {

    /** The host's name, unique in the cloud; also its label in messages ("host-1 has …"). */
    @WithDefault("host-1")
    String hostName();

    /** The hypervisor driver: {@code sim}, {@code qemu} or {@code runc}. */
    @WithDefault("sim")
    String driver();

    /** Where the node keeps its identity and the driver's state; default {@code .virga/compute/<host-name>}. */
    Optional<String> stateDir();

    /** The address other services reach this node's gRPC server at. */
    @WithDefault("127.0.0.1")
    String advertiseAddress();

    /** How often the node sends its host report. */
    @WithDefault("10s")
    Duration heartbeatInterval();

    /**
     * How often the node compares its guests' power states in the driver with those it last
     * reported, and reports the ones that changed (a crash, a drift in the driver, a guest gone).
     */
    @WithDefault("60s")
    Duration powerSyncInterval();

    /**
     * How many guest builds may wait for a worker; a spawn beyond that is refused with
     * RESOURCE_EXHAUSTED (nothing accepted) instead of piling up.
     */
    @WithDefault("256")
    int workQueueCapacity();

    /**
     * How many events may wait for Kafka; beyond that, actions are refused with RESOURCE_EXHAUSTED
     * until Kafka takes events again.
     */
    @WithDefault("10000")
    int eventQueueCapacity();

    /**
     * Whether a disk with an image id but no connection is resolved on the node: the image's file is
     * looked up in storage-svc ({@code quarkus.grpc.clients.storage.*}) and the disk becomes a local
     * overlay on it. Default: true for every driver but {@code sim}, which has no disks.
     */
    Optional<Boolean> resolveImages();

    /** Settings of the {@code sim} driver. */
    Sim sim();

    /** {@code virga.compute.sim.*} */
    interface Sim {
        @WithDefault("8")
        int vcpus();

        @WithDefault("16384")
        long ramMb();

        @WithDefault("200")
        long diskGb();

        @WithDefault("200ms")
        Duration bootLatency();

        /** Spawns whose instance name matches this regex (find) fail; none by default. */
        Optional<String> failSpawnMatching();
    }
}
