package io.virga.platform.events;

import java.util.List;

/** Kafka topics and CloudEvent types of Virga (see contracts/…/events/v1/events.proto). */
public final class Topics {
    public static final String COMPUTE_HOSTS = "virga.compute.hosts";
    public static final String COMPUTE_INSTANCES = "virga.compute.instances";
    public static final String GATEWAY_INSTANCES = "virga.gateway.instances";
    public static final String NETWORK_PORTS = "virga.network.ports";
    public static final String STORAGE_VOLUMES = "virga.storage.volumes";
    public static final String SCHEDULER_ALLOCATIONS = "virga.scheduler.allocations";
    /** Records a consumer could never apply, parked with the reason (see {@code kafka.DeadLetters}). */
    public static final String DEAD_LETTERS = "virga.deadletter";

    public static final List<String> ALL = List.of(COMPUTE_HOSTS, COMPUTE_INSTANCES, GATEWAY_INSTANCES,
            NETWORK_PORTS, STORAGE_VOLUMES, SCHEDULER_ALLOCATIONS, DEAD_LETTERS);

    public static final String TYPE_HOST_REPORT = "io.virga.host.report";
    public static final String TYPE_POWER_STATE = "io.virga.instance.power-state";
    public static final String TYPE_INSTANCE_STATUS = "io.virga.instance.status";
    public static final String TYPE_PORT_CREATED = "io.virga.port.created";
    public static final String TYPE_PORT_DELETED = "io.virga.port.deleted";
    public static final String TYPE_VOLUME_CREATED = "io.virga.volume.created";
    public static final String TYPE_VOLUME_DELETED = "io.virga.volume.deleted";
    public static final String TYPE_ALLOCATION_CLAIMED = "io.virga.allocation.claimed";
    public static final String TYPE_ALLOCATION_RELEASED = "io.virga.allocation.released";

    private Topics() {
    }
}
