package io.virga.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * helm/virga rendered by Go's text/template and validated against the Kubernetes schemas, then
 * cross-checked against the services' code.
 */
class HelmChartTest {
    /** The four Deployments and the DaemonSet: workload name to values key. */
    static final Map<String, String> WORKLOADS = Map.of("api-gateway", "gateway", "scheduler-svc", "scheduler",
            "storage-svc", "storage", "network-svc", "network", "compute-node", "compute");
    static final String EXTERNAL = "";
    static final String BUNDLED = """
            postgres: { bundled: true }
            kafka: { bundled: true }
            bootstrapAdminToken: vgt_chart-test-admin-token-0001
            metrics: { serviceMonitor: { enabled: true } }
            """;

    @Test
    void everyRenderedManifestIsAValidKubernetesObject() {
        for (String values : List.of(EXTERNAL, BUNDLED)) {
            ChartRenderer.Rendered r = ChartRenderer.render(values);
            assertNull(r.renderError(), r.renderError());
            List<String> errors = new ArrayList<>();
            r.errors().values().forEach(errors::addAll);
            assertEquals(List.of(), errors);
            assertTrue(r.manifests().size() >= 20, "manifests: " + r.manifests().size());
            assertTrue(r.notes().startsWith("Virga 0.1.0 is installed as release rel."), r.notes());
        }
        assertEquals(1, ChartRenderer.render(BUNDLED).ofKind("ServiceMonitor").size());
        assertEquals(0, ChartRenderer.render(EXTERNAL).ofKind("ServiceMonitor").size(), "optional, off by default");
    }

    @Test
    void theSchemaCheckCatchesAnInvalidManifest() {
        ChartRenderer.Rendered r = ChartRenderer.render("gateway: { httpPort: not-a-port }\n");
        assertNull(r.renderError());
        JsonNode deployment = r.named("Deployment", "rel-api-gateway");
        assertTrue(r.errors().get(deployment).stream().anyMatch(e -> e.contains("containerPort")),
                "schema errors: " + r.errors().get(deployment));
    }

    @Test
    void aMissingValueFailsTheRenderNamingIt() {
        ChartRenderer.Rendered r = ChartRenderer.render("scheduler: { database: null }\n");
        assertNotNull(r.renderError(), "missing keys are errors, not empty strings");
        assertTrue(r.renderError().contains("name") || r.renderError().contains("database"), r.renderError());
    }

    @Test
    void gatewayAndSchedulerRunAtLeastTwoReplicasCoveredByDisruptionBudgets() {
        ChartRenderer.Rendered r = ChartRenderer.render(EXTERNAL);
        for (String s : List.of("api-gateway", "scheduler-svc")) {
            JsonNode d = r.named("Deployment", "rel-" + s);
            assertTrue(d.at("/spec/replicas").asInt() >= 2, s + " replicas");
            JsonNode pdb = r.named("PodDisruptionBudget", "rel-" + s);
            assertEquals(d.at("/spec/selector/matchLabels"), pdb.at("/spec/selector/matchLabels"), s + " PDB selects it");
        }
        for (String s : List.of("storage-svc", "network-svc")) {
            assertTrue(r.named("Deployment", "rel-" + s).at("/spec/replicas").asInt() >= 1);
        }
    }

    @Test
    void computeNodeRunsOnLabelledHypervisorNodesWithTheHostsDevices() {
        JsonNode ds = ChartRenderer.render(EXTERNAL).named("DaemonSet", "rel-compute-node");
        JsonNode pod = ds.at("/spec/template/spec");
        assertEquals("true", pod.at("/nodeSelector/virga.io~1hypervisor").asText());
        JsonNode c = pod.at("/containers/0");
        assertEquals(0, c.at("/securityContext/runAsUser").asInt(), "root");
        assertTrue(c.at("/securityContext/capabilities/add").toString().contains("NET_ADMIN"));
        Set<String> hostPaths = new HashSet<>();
        pod.at("/volumes").forEach(v -> hostPaths.add(v.at("/hostPath/path").asText()));
        assertTrue(hostPaths.containsAll(List.of("/dev/kvm", "/dev/net/tun", "/var/lib/virga/compute")), hostPaths.toString());
        assertEquals("spec.nodeName", env(c, "VIRGA_COMPUTE_HOST_NAME").at("/valueFrom/fieldRef/fieldPath").asText());
    }

    @Test
    void everyVariableAContainerGetsIsOneItsServiceReads() {
        for (String values : List.of(EXTERNAL, BUNDLED)) {
            ChartRenderer.Rendered r = ChartRenderer.render(values);
            List<String> unread = new ArrayList<>();
            int checked = 0;
            for (String s : WORKLOADS.keySet()) {
                ServiceConfigKeys keys = ServiceConfigKeys.of(Repo.root(), s);
                JsonNode c = container(r, s);
                List<String> names = new ArrayList<>();
                c.path("env").forEach(e -> names.add(e.path("name").asText()));
                for (JsonNode from : c.path("envFrom")) {
                    String cm = from.at("/configMapRef/name").asText();
                    r.named("ConfigMap", cm).path("data").fieldNames().forEachRemaining(names::add);
                }
                for (String n : names) {
                    checked++;
                    if (!n.equals("JAVA_OPTS") && !keys.readsEnv(n)) {
                        unread.add(s + ": " + n);
                    }
                }
            }
            assertTrue(checked > 40, "checked " + checked);
            assertEquals(List.of(), unread, "variables no service reads");
        }
    }

    @Test
    void portsAndProbesAreTheOnesTheServicesServe() {
        ChartRenderer.Rendered r = ChartRenderer.render(EXTERNAL);
        for (String s : WORKLOADS.keySet()) {
            ServiceConfigKeys keys = ServiceConfigKeys.of(Repo.root(), s);
            JsonNode c = container(r, s);
            Map<String, Integer> ports = new java.util.HashMap<>();
            c.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
            assertEquals(Integer.valueOf(keys.property("quarkus.http.port").orElseThrow()), ports.get("http"), s);
            assertEquals(Integer.valueOf(keys.property("quarkus.grpc.server.port").orElseThrow()), ports.get("grpc"), s);
            assertEquals("/q/health/live", c.at("/livenessProbe/httpGet/path").asText(), s);
            assertEquals("/q/health/ready", c.at("/readinessProbe/httpGet/path").asText(), s);
            assertEquals("http", c.at("/readinessProbe/httpGet/port").asText(), s);
            assertFalse(c.at("/resources/requests/cpu").isMissingNode(), s + " requests");
            assertFalse(c.at("/resources/limits/memory").isMissingNode(), s + " limits");
            JsonNode svc = r.named("Service", "rel-" + s);
            svc.at("/spec/ports").forEach(p -> assertTrue(ports.containsKey(p.path("targetPort").asText()),
                    s + " Service targets a named container port"));
            JsonNode cm = r.named("ConfigMap", "rel-" + s).path("data");
            assertEquals(String.valueOf(ports.get("http")), cm.path("QUARKUS_HTTP_PORT").asText(), s);
        }
        JsonNode gw = r.named("ConfigMap", "rel-api-gateway").path("data");
        assertEquals("rel-scheduler-svc", gw.path("QUARKUS_GRPC_CLIENTS_SCHEDULER_HOST").asText());
        assertEquals(ServiceConfigKeys.of(Repo.root(), "scheduler-svc").property("quarkus.grpc.server.port").orElseThrow(),
                gw.path("QUARKUS_GRPC_CLIENTS_SCHEDULER_PORT").asText());
    }

    @Test
    void servicesOtherThanComputeRunAsNonRootAndEveryReferenceResolves() {
        for (String values : List.of(EXTERNAL, BUNDLED)) {
            ChartRenderer.Rendered r = ChartRenderer.render(values);
            Set<String> secrets = names(r, "Secret");
            Set<String> configMaps = names(r, "ConfigMap");
            for (String s : WORKLOADS.keySet()) {
                JsonNode pod = pod(r, s);
                if (!s.equals("compute-node")) {
                    assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), s + " non-root");
                }
                for (JsonNode e : pod.at("/containers/0/env")) {
                    JsonNode ref = e.at("/valueFrom/secretKeyRef/name");
                    assertTrue(ref.isMissingNode() || secrets.contains(ref.asText()), s + " secret " + ref);
                }
                pod.at("/containers/0/envFrom").forEach(f -> assertTrue(configMaps.contains(f.at("/configMapRef/name").asText())));
            }
        }
        JsonNode gw = container(ChartRenderer.render(BUNDLED), "api-gateway");
        assertEquals("rel-admin-token", env(gw, "VIRGA_GATEWAY_BOOTSTRAP_ADMIN_TOKEN").at("/valueFrom/secretKeyRef/name").asText());
    }

    @Test
    void bundledModeRunsPostgresAndKafkaAndExternalModeUsesTheConfiguredOnes() {
        ChartRenderer.Rendered bundled = ChartRenderer.render(BUNDLED);
        assertEquals(Set.of("rel-postgres", "rel-kafka"), names(bundled, "StatefulSet"));
        JsonNode data = bundled.named("ConfigMap", "rel-scheduler-svc").path("data");
        assertEquals("jdbc:postgresql://rel-postgres:5432/virga_scheduler", data.path("QUARKUS_DATASOURCE_JDBC_URL").asText());
        assertEquals("rel-kafka:9092", data.path("VIRGA_KAFKA_BOOTSTRAP_SERVERS").asText());
        String init = bundled.named("Secret", "rel-postgres").at("/stringData/10-virga.sql").asText();
        for (String db : List.of("virga_gateway", "virga_scheduler", "virga_storage", "virga_network")) {
            assertTrue(init.contains("CREATE DATABASE \"" + db + "\""), init);
        }
        ChartRenderer.Rendered external = ChartRenderer.render(EXTERNAL);
        assertEquals(Set.of(), names(external, "StatefulSet"));
        JsonNode ext = external.named("ConfigMap", "rel-network-svc").path("data");
        assertEquals("jdbc:postgresql://postgres.example.internal:5432/virga_network", ext.path("QUARKUS_DATASOURCE_JDBC_URL").asText());
        assertEquals("kafka-0.kafka.example.internal:9092", ext.path("VIRGA_KAFKA_BOOTSTRAP_SERVERS").asText());
    }

    static JsonNode pod(ChartRenderer.Rendered r, String service) {
        String kind = service.equals("compute-node") ? "DaemonSet" : "Deployment";
        return r.named(kind, "rel-" + service).at("/spec/template/spec");
    }

    static JsonNode container(ChartRenderer.Rendered r, String service) {
        return pod(r, service).at("/containers/0");
    }

    static JsonNode env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText())) {
                return e;
            }
        }
        throw new AssertionError("no env " + name + " in " + container.path("name").asText());
    }

    static Set<String> names(ChartRenderer.Rendered r, String kind) {
        Set<String> out = new HashSet<>();
        r.ofKind(kind).forEach(m -> out.add(m.at("/metadata/name").asText()));
        return out;
    }
}
