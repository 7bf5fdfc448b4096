package io.virga.devstack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Every TCP port of a local Virga cloud (all on 127.0.0.1).
 *
 * @param postgres        PostgreSQL
 * @param kafka           Kafka client listener
 * @param kafkaController Kafka KRaft controller listener
 * @param services        HTTP and gRPC ports per service name ({@code api-gateway},
 *                        {@code scheduler-svc}, {@code storage-svc}, {@code network-svc},
 *                        {@code host-1} … {@code host-N})
 */
public record StackPorts(int postgres, int kafka, int kafkaController, Map<String, ServicePorts> services) {

    /** HTTP and gRPC port of one service process. */
    public record ServicePorts(int http, int grpc) {
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

    /** Ports that were free a moment ago, all distinct: for tests running beside other stacks. */
    public static StackPorts free(int computeNodes) {
        Set<Integer> taken = new java.util.HashSet<>();
        Map<String, ServicePorts> services = new LinkedHashMap<>();
        for (String name : defaults(computeNodes).services().keySet()) {
            services.put(name, new ServicePorts(distinctFree(taken), distinctFree(taken)));
        }
        return new StackPorts(distinctFree(taken), distinctFree(taken), distinctFree(taken), services);
    }

    /** The ports of service {@code name}. */
    public ServicePorts of(String name) {
        return Objects.requireNonNull(services.get(name), () -> "no ports for service " + name);
    }

    private static int distinctFree(Set<Integer> taken) {
        int port;
        do {
            port = Ports.freePort();
        } while (!taken.add(port));
        return port;
    }
}
