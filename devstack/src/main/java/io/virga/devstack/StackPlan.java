package io.virga.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@link Supervisor} starts, in which order and with which system properties.
 * Pure: computing a plan starts nothing. The property keys are a contract with the
 * services (see the devstack section of the design notes).
 */
public final class StackPlan {

    public static final String GATEWAY = "api-gateway";
    public static final String SCHEDULER = "scheduler-svc";
    public static final String STORAGE = "storage-svc";
    public static final String NETWORK = "network-svc";
    public static final String COMPUTE_MODULE = "compute-node";

    /** Databases created before any service starts, per service that owns one. */
    public static final Map<String, String> DATABASES = Map.of(
            GATEWAY, "virga_gateway", SCHEDULER, "virga_scheduler",
            STORAGE, "virga_storage", NETWORK, "virga_network");

    /**
     * One service process to run.
     *
     * @param name       unique name, also of its log file ({@code host-2}, {@code api-gateway})
     * @param module     Maven module whose {@code target/quarkus-app/quarkus-run.jar} runs
     * @param ports      its HTTP and gRPC ports
     * @param properties every {@code -D} system property, in order
     */
    public record ServiceSpec(String name, String module, StackPorts.ServicePorts ports,
                              Map<String, String> properties) {

        /** The runnable jar under {@code repoRoot}. */
        public Path jar(Path repoRoot) {
            return repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        }

        /** {@code http://127.0.0.1:<http>/q/health/ready}. */
        public String healthUrl() {
            return "http://" + Ports.LOOPBACK + ":" + ports.http() + "/q/health/ready";
        }
    }

    private final SupervisorOptions options;
    private final StackPorts ports;

    /** The plan for {@code options}' ports. */
    public StackPlan(SupervisorOptions options) {
        this(options, options.ports());
    }

    /** The plan with {@code ports} instead of {@code options}' (the supervisor's ports as allocated so far). */
    public StackPlan(SupervisorOptions options, StackPorts ports) {
        this.options = options;
        this.ports = ports;
    }

    public static String hostName(int n) {
        return "host-" + n;
    }

    /**
     * Start groups in order: {network-svc, storage-svc, scheduler-svc} (in parallel),
     * then the compute nodes (in parallel), then api-gateway. Stopping goes in reverse.
     */
    public List<List<ServiceSpec>> groups() {
        List<List<ServiceSpec>> groups = new ArrayList<>();
        List<ServiceSpec> first = new ArrayList<>(List.of(withDatabase(NETWORK), withDatabase(STORAGE),
                withDatabase(SCHEDULER)));
        for (int r = 2; r <= StackPorts.MAX_SCHEDULERS; r++) {
            String replica = StackPorts.schedulerReplica(r);
            if (ports.services().containsKey(replica)) {
                first.add(withDatabase(replica, SCHEDULER));
            }
        }
        groups.add(first);
        List<ServiceSpec> nodes = new ArrayList<>();
        for (int n = 1; n <= options.computeNodes(); n++) {
            nodes.add(computeNode(n));
        }
        if (!nodes.isEmpty()) {
            groups.add(nodes);
        }
        groups.add(List.of(withDatabase(GATEWAY)));
        return groups;
    }

    /** Every service of {@link #groups()}, in start order. */
    public List<ServiceSpec> services() {
        return groups().stream().flatMap(List::stream).toList();
    }

    private ServiceSpec withDatabase(String name) {
        return withDatabase(name, name);
    }

    /** Service {@code name} running {@code module} (a scheduler replica runs scheduler-svc on its database). */
    private ServiceSpec withDatabase(String name, String module) {
        Map<String, String> p = common(name);
        p.put("quarkus.datasource.jdbc.url", PgDatabases.jdbcUrl(ports.postgres(), DATABASES.get(module)));
        p.put("quarkus.datasource.username", PostgresServer.USER);
        p.put("quarkus.datasource.password", PostgresServer.USER);
        switch (name) {
            case STORAGE -> p.put("virga.storage.data-dir", options.home().resolve("storage").toString());
            case GATEWAY -> {
                for (String client : List.of("network", "storage", "scheduler")) {
                    String service = client + "-svc";
                    p.put("quarkus.grpc.clients." + client + ".host", Ports.LOOPBACK);
                    p.put("quarkus.grpc.clients." + client + ".port",
                            Integer.toString(ports.of(service).grpc()));
                }
                p.put("virga.gateway.admin-token-file", options.home().resolve("admin-token").toString());
            }
            default -> { }
        }
        return spec(name, module, p);
    }

    private ServiceSpec computeNode(int n) {
        String name = hostName(n);
        Map<String, String> p = common(name);
        p.put("virga.compute.host-name", name);
        p.put("virga.compute.driver", "sim");
        p.put("virga.compute.state-dir", options.home().resolve("compute").resolve(name).toString());
        p.put("virga.compute.advertise-address", Ports.LOOPBACK);
        p.put("virga.compute.heartbeat-interval", quarkusDuration(options.heartbeatInterval()));
        p.put("virga.compute.sim.vcpus", "8");
        p.put("virga.compute.sim.ram-mb", "16384");
        p.put("virga.compute.sim.disk-gb", "200");
        // storage-svc: real drivers (qemu, runc) resolve image files there (ImageResolver)
        p.put("quarkus.grpc.clients.storage.host", Ports.LOOPBACK);
        p.put("quarkus.grpc.clients.storage.port", Integer.toString(ports.of(STORAGE).grpc()));
        // network-svc: the data plane (virga.network.backend) resolves its ports' filters there
        p.put("quarkus.grpc.clients.network.host", Ports.LOOPBACK);
        p.put("quarkus.grpc.clients.network.port", Integer.toString(ports.of("network-svc").grpc()));
        return spec(name, COMPUTE_MODULE, p);
    }

    private Map<String, String> common(String name) {
        StackPorts.ServicePorts own = ports.of(name);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.http.host", Ports.LOOPBACK);
        p.put("quarkus.http.port", Integer.toString(own.http()));
        p.put("quarkus.grpc.server.host", Ports.LOOPBACK);
        p.put("quarkus.grpc.server.port", Integer.toString(own.grpc()));
        p.put("virga.kafka.bootstrap-servers", Ports.LOOPBACK + ":" + ports.kafka());
        return p;
    }

    /** Applies the extra properties: {@code *}, then the module, then the service name. */
    private ServiceSpec spec(String name, String module, Map<String, String> p) {
        Map<String, Map<String, String>> extra = options.extraProperties();
        for (String key : List.of("*", module, name)) {
            p.putAll(extra.getOrDefault(key, Map.of()));
        }
        return new ServiceSpec(name, module, ports.of(name), Collections.unmodifiableMap(p));
    }

    /** Quarkus' short duration syntax: {@code 5s}, {@code 500ms}. */
    static String quarkusDuration(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
