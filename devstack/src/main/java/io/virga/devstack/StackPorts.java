package io.virga.devstack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every TCP port of a local Virga cloud (all on 127.0.0.1). A port 0 is allocated by the
 * {@link Supervisor} when it starts that process (see {@link #auto(int)}).
 *
 * @param postgres        PostgreSQL
 * @param kafka           Kafka client listener
 * @param kafkaController Kafka KRaft controller listener
 * @param services        HTTP and gRPC ports per service name ({@code api-gateway},
 *                        {@code scheduler-svc}, {@code storage-svc}, {@code network-svc},
 *                        {@code host-1} … {@code host-N})
 */
public record StackPorts(int postgres, int kafka, int kafkaController, Map<String, ServicePorts> services) {

    /** HTTP and gRPC port of one service process; 0 = allocated when it starts. */
    public record ServicePorts(int http, int grpc) {

        /** True when either port is still to be allocated. */
        public boolean auto() {
            return http == 0 || grpc == 0;
        }
    }

    public StackPorts {
        services = Map.copyOf(services);
    }

    /**
     * The fixed ports of {@code ./virga up}: PostgreSQL 15432, Kafka 19092 (controller
     * 19093), api-gateway 8080/9180, scheduler-svc 8182/9182, storage-svc 8183/9183,
     * network-svc 8184/9184, compute node host-N 8190+N/9190+N.
     */
    public static StackPorts defaults(int computeNodes) {
        Map<String, ServicePorts> services = new LinkedHashMap<>();
        services.put(StackPlan.GATEWAY, new ServicePorts(8080, 9180));
        services.put(StackPlan.SCHEDULER, new ServicePorts(8182, 9182));
        services.put(StackPlan.STORAGE, new ServicePorts(8183, 9183));
        services.put(StackPlan.NETWORK, new ServicePorts(8184, 9184));
        for (int n = 1; n <= computeNodes; n++) {
            services.put(StackPlan.hostName(n), new ServicePorts(8190 + n, 9190 + n));
        }
        return new StackPorts(15432, 19092, 19093, services);
    }

    /**
     * Every port 0: the {@link Supervisor} allocates each one outside the ephemeral range
     * when it starts that process ({@link Ports#allocate()}) and starts the process again on
     * fresh ports when it fails to bind them. For tests running beside other stacks.
     */
    public static StackPorts auto(int computeNodes) {
        Map<String, ServicePorts> services = new LinkedHashMap<>();
        for (String name : defaults(computeNodes).services().keySet()) {
            services.put(name, new ServicePorts(0, 0));
        }
        return new StackPorts(0, 0, 0, services);
    }

    /** Most scheduler processes {@code ./virga up --scheduler-replicas} starts. */
    public static final int MAX_SCHEDULERS = 5;

    /** {@code scheduler-svc-<r>}: the service name of scheduler replica {@code r >= 2}. */
    public static String schedulerReplica(int r) {
        return StackPlan.SCHEDULER + "-" + r;
    }

    /**
     * These ports plus scheduler replica {@code r} (2..{@link #MAX_SCHEDULERS}): on 0/0 when the
     * scheduler's own ports are 0 (allocated at start), else on 8183+r / 9183+r (8185/9185 for 2).
     */
    public StackPorts withSchedulerReplica(int r, boolean auto) {
        Map<String, ServicePorts> copy = new LinkedHashMap<>(services);
        boolean zero = auto || of(StackPlan.SCHEDULER).auto();
        copy.put(schedulerReplica(r), zero ? new ServicePorts(0, 0) : new ServicePorts(8183 + r, 9183 + r));
        return new StackPorts(postgres, kafka, kafkaController, copy);
    }

    /** These ports with PostgreSQL on {@code port}. */
    public StackPorts withPostgres(int port) {
        return new StackPorts(port, kafka, kafkaController, services);
    }

    /** These ports with Kafka's client and controller listeners on {@code port} and {@code controller}. */
    public StackPorts withKafka(int port, int controller) {
        return new StackPorts(postgres, port, controller, services);
    }

    /** These ports with service {@code name} on {@code ports}. */
    public StackPorts with(String name, ServicePorts ports) {
        of(name);
        Map<String, ServicePorts> copy = new LinkedHashMap<>(services);
        copy.put(name, ports);
        return new StackPorts(postgres, kafka, kafkaController, copy);
    }

    /** The ports of service {@code name}. */
    public ServicePorts of(String name) {
        return Objects.requireNonNull(services.get(name), () -> "no ports for service " + name);
    }
}
