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
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            "host-2,        quarkus.grpc.clients.storage.host,  127.0.0.1",
            "host-2,        quarkus.grpc.clients.storage.port,  9183",
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
    void autoPortsAreAllZeroUntilTheSupervisorAllocatesThem() {
        StackPorts ports = StackPorts.auto(3);
        assertEquals(0, ports.postgres() + ports.kafka() + ports.kafkaController());
        ports.services().values().forEach(p -> assertTrue(p.auto(), p.toString()));
        assertEquals(7, ports.services().size());
        StackPorts placed = ports.with("host-2", new StackPorts.ServicePorts(21001, 21002)).withPostgres(21003);
        assertEquals(new StackPorts.ServicePorts(21001, 21002), placed.of("host-2"));
        assertFalse(placed.of("host-2").auto());
        assertEquals(21003, placed.postgres());
    }

    @Test
    void thePlanUsesThePortsItIsGiven() {
        SupervisorOptions options = SupervisorOptions.builder(REPO).freePorts().build();
        StackPorts ports = options.ports().withPostgres(21010).withKafka(21011, 21012)
                .with("scheduler-svc", new StackPorts.ServicePorts(21013, 21014));
        StackPlan.ServiceSpec gateway = new StackPlan(options, ports).services().stream()
                .filter(s -> s.name().equals("api-gateway")).findFirst().orElseThrow();
        assertEquals("21014", gateway.properties().get("quarkus.grpc.clients.scheduler.port"));
        assertEquals("127.0.0.1:21011", gateway.properties().get("virga.kafka.bootstrap-servers"));
        assertEquals("jdbc:postgresql://127.0.0.1:21010/virga_gateway", gateway.properties().get("quarkus.datasource.jdbc.url"));
    }

    @Test
    void quarkusDurations() {
        assertEquals("5s", StackPlan.quarkusDuration(Duration.ofSeconds(5)));
        assertEquals("1500ms", StackPlan.quarkusDuration(Duration.ofMillis(1500)));
    }
}
