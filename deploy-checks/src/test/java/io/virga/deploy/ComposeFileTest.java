package io.virga.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker-compose.yml against the services' code: presence, variables, ports, probes, start order. */
class ComposeFileTest {
    private static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_OPTS");
    private final ComposeFile compose = ComposeFile.parse(Repo.read(Repo.file("docker-compose.yml")));
    private final Map<String, ComposeFile.Service> services = compose.services();

    @Test
    void everyServiceTwoComputeNodesAndTheInfrastructureArePresent() {
        assertTrue(services.containsKey("postgres"), "postgres");
        assertTrue(services.containsKey("kafka"), "kafka");
        for (String s : List.of("api-gateway", "scheduler-svc", "storage-svc", "network-svc")) {
            assertEquals(1, virga(s).size(), s + " runs once in " + services.keySet());
        }
        assertEquals(2, virga("compute-node").size(), "two compute nodes");
        assertEquals("broker,controller", services.get("kafka").environment().get("KAFKA_PROCESS_ROLES"),
                "Kafka runs in KRaft mode");
        assertTrue(services.get("api-gateway").list("ports").contains("127.0.0.1:8080:8080"),
                "the API is at http://localhost:8080");
    }

    @Test
    void everyEnvironmentVariableIsOneItsServiceReads() {
        List<String> unread = new ArrayList<>();
        int checked = 0;
        for (ComposeFile.Service s : services.values()) {
            if (s.virgaService().isEmpty()) {
                continue;
            }
            ServiceConfigKeys keys = ServiceConfigKeys.of(Repo.root(), s.virgaService().get());
            for (String env : s.environment().keySet()) {
                checked++;
                if (!IMAGE_VARIABLES.contains(env) && !keys.readsEnv(env)) {
                    unread.add(s.name() + ": " + env);
                }
            }
        }
        assertTrue(checked > 50, "checked " + checked);
        assertEquals(List.of(), unread, "variables no service reads");
    }

    @Test
    void portsAreTheServicesOwnAndPeersPointAtEachOther() {
        List<String> wrong = new ArrayList<>();
        for (ComposeFile.Service s : services.values()) {
            if (s.virgaService().isEmpty()) {
                continue;
            }
            ServiceConfigKeys keys = ServiceConfigKeys.of(Repo.root(), s.virgaService().get());
            Map<String, String> env = s.environment();
            check(wrong, s.name() + " http port", keys.property("quarkus.http.port").orElse("?"), env.get("QUARKUS_HTTP_PORT"));
            check(wrong, s.name() + " grpc port", keys.property("quarkus.grpc.server.port").orElse("?"),
                    env.get("QUARKUS_GRPC_SERVER_PORT"));
            for (String client : List.of("NETWORK", "STORAGE", "SCHEDULER")) {
                String host = env.get("QUARKUS_GRPC_CLIENTS_" + client + "_HOST");
                if (host == null) {
                    continue;
                }
                ComposeFile.Service peer = services.get(host);
                if (peer == null) {
                    wrong.add(s.name() + ": gRPC client " + client + " dials unknown service " + host);
                    continue;
                }
                check(wrong, s.name() + " -> " + host + " gRPC port", peer.environment().get("QUARKUS_GRPC_SERVER_PORT"),
                        env.get("QUARKUS_GRPC_CLIENTS_" + client + "_PORT"));
            }
            String jdbc = env.get("QUARKUS_DATASOURCE_JDBC_URL");
            if (jdbc != null) {
                Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(\\w+)").matcher(jdbc);
                assertTrue(m.matches(), jdbc);
                check(wrong, s.name() + " database host", "postgres", m.group(1));
                if (!databases().contains(m.group(3))) {
                    wrong.add(s.name() + ": database " + m.group(3) + " is not created (" + databases() + ")");
                }
            }
            check(wrong, s.name() + " kafka", "PLAINTEXT://" + env.get("VIRGA_KAFKA_BOOTSTRAP_SERVERS"),
                    services.get("kafka").environment().get("KAFKA_ADVERTISED_LISTENERS"));
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void healthChecksProbeReadinessOnTheServicesHttpPort() {
        for (ComposeFile.Service s : services.values()) {
            assertTrue(!s.healthcheck().isEmpty(), s.name() + " has a health check");
            if (s.virgaService().isPresent()) {
                String port = s.environment().get("QUARKUS_HTTP_PORT");
                assertTrue(s.healthcheck().contains("http://127.0.0.1:" + port + "/q/health/ready"),
                        s.name() + ": " + s.healthcheck());
                String pom = Repo.read(Repo.file(s.virgaService().get() + "/pom.xml"));
                assertTrue(pom.contains("quarkus-smallrye-health"), s.name() + " serves /q/health");
            }
        }
    }

    @Test
    void startOrderWaitsForHealthyDependenciesWithoutCycles() {
        for (ComposeFile.Service s : services.values()) {
            s.dependsOn().forEach((dep, condition) -> {
                assertTrue(services.containsKey(dep), s.name() + " depends on unknown " + dep);
                assertEquals("service_healthy", condition, s.name() + " -> " + dep);
            });
        }
        Set<String> gatewayNeeds = services.get("api-gateway").dependsOn().keySet();
        assertTrue(gatewayNeeds.containsAll(List.of("postgres", "kafka", "scheduler-svc", "storage-svc",
                "network-svc")), "the gateway starts last: " + gatewayNeeds);
        for (String start : services.keySet()) {
            assertAcyclic(start, new HashSet<>());
        }
    }

    @Test
    void computeNodesHaveTheirOwnNamesAddressesAndStateVolumes() {
        Set<String> names = new HashSet<>();
        Set<String> volumes = new HashSet<>();
        for (ComposeFile.Service s : virga("compute-node")) {
            Map<String, String> env = s.environment();
            assertTrue(names.add(env.get("VIRGA_COMPUTE_HOST_NAME")), "distinct host names");
            assertEquals(s.name(), env.get("VIRGA_COMPUTE_ADVERTISE_ADDRESS"), "reachable by its service name");
            String state = s.list("volumes").stream().filter(v -> v.endsWith(":/var/lib/virga")).findFirst()
                    .orElseThrow(() -> new AssertionError(s.name() + " keeps its state in a volume"));
            assertTrue(volumes.add(state.substring(0, state.indexOf(':'))), "own state volume");
            assertTrue(env.get("VIRGA_COMPUTE_STATE_DIR").startsWith("/var/lib/virga/"));
            assertTrue(s.list("cap_add").contains("NET_ADMIN"), s.name() + " has NET_ADMIN");
        }
        assertTrue(compose.volumes().containsAll(volumes), "declared volumes " + compose.volumes());
    }

    @Test
    void theGatewayMakesAKnownAdminTokenAndKeepsItsFileInItsVolume() {
        Map<String, String> env = services.get("api-gateway").environment();
        String token = env.get("VIRGA_GATEWAY_BOOTSTRAP_ADMIN_TOKEN");
        assertTrue(token.length() >= 20 && !token.contains(" "), "a token the gateway accepts: " + token);
        assertTrue(env.get("VIRGA_GATEWAY_ADMIN_TOKEN_FILE").startsWith("/var/lib/virga/"));
    }

    private void assertAcyclic(String name, Set<String> path) {
        assertTrue(path.add(name), "depends_on cycle through " + path);
        for (String dep : services.get(name).dependsOn().keySet()) {
            assertAcyclic(dep, new HashSet<>(path));
        }
    }

    private Set<String> databases() {
        Set<String> dbs = new HashSet<>();
        dbs.add(services.get("postgres").environment().get("POSTGRES_DB"));
        Matcher m = Pattern.compile("CREATE DATABASE (\\w+)").matcher(Repo.read(Repo.file("deploy/compose/init-databases.sql")));
        while (m.find()) {
            dbs.add(m.group(1));
        }
        return dbs;
    }

    private List<ComposeFile.Service> virga(String service) {
        return services.values().stream().filter(s -> s.virgaService().filter(service::equals).isPresent()).toList();
    }

    private static void check(List<String> wrong, String what, String expected, String actual) {
        if (!expected.equals(actual)) {
            wrong.add(what + ": expected " + expected + ", got " + actual);
        }
    }
}
