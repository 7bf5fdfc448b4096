package io.virga.gateway.instance;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.virga.contracts.events.v1.InstancePowerState;
import io.virga.contracts.events.v1.PowerState;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.ProtoJson;
import io.virga.platform.events.Topics;
import io.virga.platform.kafka.DirectPublisher;
import io.virga.platform.kafka.KafkaClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Test helpers speaking the public API: the cloud admin, fresh projects with a
 * member token, flavors, and the fake cloud around the gateway.
 */
final class TestCloud {
    static final Duration SETTLE = Duration.ofSeconds(30);
    private static volatile boolean consumerReady;

    private TestCloud() {
    }

    /** A project's member, with the fake network and image it uses. */
    record Tenant(String projectId, String token) {
        RequestSpecification api() {
            return given().header("Authorization", "Bearer " + token).accept(ContentType.JSON);
        }

        Response post(String path, Object body) {
            return api().contentType(ContentType.JSON).body(body).post(path);
        }

        /** Polls GET path until {@code done} holds, failing with the last answer after {@link #SETTLE}. */
        Response await(String path, Predicate<Response> done) {
            long deadline = System.nanoTime() + SETTLE.toNanos();
            Response last;
            do {
                last = api().get(path);
                if (done.test(last)) {
                    return last;
                }
                sleep(50);
            } while (System.nanoTime() < deadline);
            throw new AssertionError("timed out on " + path + "; last: " + last.statusCode() + " " + last.asString());
        }

        Response awaitStatus(String instanceId, String status) {
            return await("/v1/instances/" + instanceId, r -> status.equals(r.path("status")));
        }

        Response awaitSettled(String instanceId) {
            return await("/v1/instances/" + instanceId, r -> r.path("task") == null);
        }
    }

    static String adminToken() {
        String file = ConfigProvider.getConfig().getValue("virga.gateway.admin-token-file", String.class);
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + adminToken()).accept(ContentType.JSON)
                .contentType(ContentType.JSON);
    }

    /** A new project and a token of {@code role} in it. */
    static Tenant newTenant(String role) {
        String name = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String project = admin().body(Map.of("name", name)).post("/v1/projects").then().statusCode(201)
                .extract().path("id");
        String token = admin().body(Map.of("role", role, "name", "test")).post("/v1/projects/" + project + "/tokens")
                .then().statusCode(201).extract().path("token");
        return new Tenant(project, token);
    }

    static Tenant newMember() {
        return newTenant("member");
    }

    /** Makes the flavor unless it exists; returns its name. */
    static String flavor(String name, int vcpus, long ramMb, int diskGb, String kind) {
        int status = admin().body(Map.of("name", name, "vcpus", vcpus, "ram_mb", ramMb, "disk_gb", diskGb,
                "kind", kind)).post("/v1/flavors").statusCode();
        if (status != 201 && status != 409) {
            throw new AssertionError("cannot make flavor " + name + ": " + status);
        }
        return name;
    }

    static Map<String, Object> createBody(String name, String flavor, String image, String network) {
        return Map.of("name", name, "flavor", flavor, "image", image, "networks", List.of(Map.of("network", network)));
    }

    /** Starts the fakes and waits until the gateway's power-state consumer has joined its group. */
    static Fakes fakes(DataSource ds) {
        Fakes fakes = Fakes.get();
        fakes.reset();
        if (!consumerReady) {
            awaitPowerStateConsumer(ds);
            consumerReady = true;
        }
        return fakes;
    }

    /**
     * Publishes a power-state event about an unknown instance and waits for it
     * in the consumer's inbox: after that, events reach the gateway promptly.
     */
    private static void awaitPowerStateConsumer(DataSource ds) {
        String bootstrap = ConfigProvider.getConfig().getValue("virga.kafka.bootstrap-servers", String.class);
        String id = UUID.randomUUID().toString();
        InstancePowerState ps = InstancePowerState.newBuilder().setInstanceId("i-probe").setHostId("h-probe")
                .setState(PowerState.RUNNING).build();
        try (DirectPublisher p = new DirectPublisher(KafkaClients.producer(bootstrap, "probe"))) {
            p.publish(Topics.COMPUTE_INSTANCES, new CloudEvent(id, "/virga/test", Topics.TYPE_POWER_STATE,
                    "i-probe", Instant.now(), ProtoJson.toTree(ps))).join();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (count(ds, "SELECT count(*) FROM virga_inbox WHERE consumer = 'gateway-power-state' AND event_id = ?",
                    id) == 1) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("the power-state consumer did not receive a probe event in 60 s");
    }

    static long count(DataSource ds, String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The project's quota usage as {instances, vcpus, ram_mb}. */
    static List<Long> usage(DataSource ds, String projectId) {
        return List.of(
                count(ds, "SELECT used_instances FROM project_quotas WHERE project_id = ?", projectId),
                count(ds, "SELECT used_vcpus FROM project_quotas WHERE project_id = ?", projectId),
                count(ds, "SELECT used_ram_mb FROM project_quotas WHERE project_id = ?", projectId));
    }

    static void assertUsageZero(DataSource ds, String projectId) {
        assertEquals(List.of(0L, 0L, 0L), usage(ds, projectId), "quota usage of " + projectId);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
}
