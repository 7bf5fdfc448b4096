package io.virga.devstack;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class StackPlanTest {

    private static final Path REPO = Path.of("/repo");

    private final StackPlan plan = new StackPlan(SupervisorOptions.builder(REPO)
            .heartbeatInterval(Duration.ofSeconds(1))
            .property("*", "virga.everyone", "yes")
            .property("compute-node", "virga.compute.sim.vcpus", "4")
            .property("host-2", "virga.compute.sim.vcpus", "2")
            .build());

    @Test
    void startsBackendsThenNodesThenGateway() {
        List<List<String>> names = plan.groups().stream()
                .map(g -> g.stream().map(StackPlan.ServiceSpec::name).toList()).toList();
        assertEquals(List.of(List.of("network-svc", "storage-svc", "scheduler-svc"),
                List.of("host-1", "host-2", "host-3"), List.of("api-gateway")), names);
    }

    @ParameterizedTest(name = "{0}: {1}={2}")
    @CsvSource({
            "api-gateway,   quarkus.http.port,                  8080",
            "api-gateway,   quarkus.grpc.server.port,           9180",
            "api-gateway,   quarkus.http.host,                  127.0.0.1",
            "api-gateway,   quarkus.grpc.server.host,           127.0.0.1",
            "api-gateway,   virga.kafka.bootstrap-servers,      127.0.0.1:19092",
            "api-gateway,   quarkus.datasource.jdbc.url,        jdbc:postgresql://127.0.0.1:15432/virga_gateway",
            "api-gateway,   quarkus.datasource.username,        postgres",
            "api-gateway,   quarkus.datasource.password,        postgres",
            "api-gateway,   quarkus.grpc.clients.network.host,  127.0.0.1",
            "api-gateway,   quarkus.grpc.clients.network.port,  9184",
            "api-gateway,   quarkus.grpc.clients.storage.port,  9183",
            "api-gateway,   quarkus.grpc.clients.scheduler.port, 9182",
            "api-gateway,   virga.gateway.admin-token-file,     /repo/.virga/admin-token",
            "scheduler-svc, quarkus.http.port,                  8182",
            "scheduler-svc, quarkus.datasource.jdbc.url,        jdbc:postgresql://127.0.0.1:15432/virga_scheduler",
            "storage-svc,   quarkus.grpc.server.port,           9183",
            "storage-svc,   virga.storage.data-dir,             /repo/.virga/storage",
            "network-svc,   quarkus.datasource.jdbc.url,        jdbc:postgresql://127.0.0.1:15432/virga_network",
            "host-1,        quarkus.http.port,                  8191",
            "host-3,        quarkus.grpc.server.port,           9193",
            "host-1,        virga.compute.host-name,            host-1",
            "host-1,        virga.compute.driver,               sim",
            "host-1,        virga.compute.state-dir,            /repo/.virga/compute/host-1",
            "host-1,        virga.compute.advertise-address,    127.0.0.1",
            "host-1,        virga.compute.heartbeat-interval,   1s",
            "host-1,        virga.compute.sim.ram-mb,           16384",
            "host-1,        virga.compute.sim.disk-gb,          200",
            "host-1,        virga.compute.sim.vcpus,            4",
            "host-2,        virga.compute.sim.vcpus,            2",
            "host-3,        virga.everyone,                     yes",
            "network-svc,   virga.everyone,                     yes",
    })
    void passesTheAgreedSystemProperties(String service, String key, String value) {
        StackPlan.ServiceSpec spec = plan.services().stream().filter(s -> s.name().equals(service)).findFirst().orElseThrow();
        assertEquals(value, spec.properties().get(key), () -> service + " " + spec.properties());
    }

    @Test
    void computeNodesRunTheComputeModuleAndOthersTheirOwn() {
        Map<String, String> modules = new java.util.HashMap<>();
        plan.services().forEach(s -> modules.put(s.name(), s.module()));
        assertEquals("compute-node", modules.get("host-2"));
        assertEquals("api-gateway", modules.get("api-gateway"));
        assertEquals(REPO.resolve("compute-node/target/quarkus-app/quarkus-run.jar"),
                plan.services().get(3).jar(REPO));
        assertFalse(plan.services().get(3).properties().containsKey("quarkus.datasource.jdbc.url"));
    }

    @Test
    void freePortsAreDistinct() {
        StackPorts ports = StackPorts.free(3);
        java.util.Set<Integer> all = new java.util.HashSet<>(List.of(ports.postgres(), ports.kafka(), ports.kafkaController()));
        ports.services().values().forEach(p -> { all.add(p.http()); all.add(p.grpc()); });
        assertEquals(3 + 2 * 7, all.size());
    }

    @Test
    void quarkusDurations() {
        assertEquals("5s", StackPlan.quarkusDuration(Duration.ofSeconds(5)));
        assertEquals("1500ms", StackPlan.quarkusDuration(Duration.ofMillis(1500)));
    }
}
