package io.virga.e2e;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The spine, end to end: PostgreSQL, Kafka, the four services and three
 * compute nodes run as separate processes (started by the same Supervisor
 * as {@code ./virga up}); the test only speaks the public REST API, plus SQL
 * on the scheduler's database to prove that no claim leaks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpineIT {
    /**
     * How long a create or delete may take before the test fails. Generous on purpose: a
     * busy 2-core machine (several builds at once) may be many times slower than an idle
     * one, and only a stuck saga should fail a test, never a slow one.
     */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(3);
    /** Budget for an instance to become ACTIVE after a service it needs was killed and restarted. */
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(4);

    private Cloud cloud;
    private Api admin;
    private String network;
    private String image;

    @BeforeAll
    void startCloud() {
        cloud = Cloud.start();
        admin = cloud.admin();
        admin.post("/v1/flavors", Map.of("name", "m1.small", "vcpus", 1, "ram_mb", 512, "disk_gb", 1))
                .then().statusCode(201);
        admin.post("/v1/flavors", Map.of("name", "r1.huge", "vcpus", 2, "ram_mb", 65536, "disk_gb", 1))
                .then().statusCode(201);
        network = admin.create("/v1/networks", Map.of("name", "public", "shared", true), 201);
        admin.post("/v1/networks/" + network + "/subnets", Map.of("name", "public-v4", "cidr", "10.20.0.0/24"))
                .then().statusCode(201);
        image = admin.create("/v1/images",
                Map.of("name", "tiny", "disk_format", "raw", "visibility", "public"), 201);
        admin.request().contentType("application/octet-stream").body(new byte[64 * 1024])
                .put("/v1/images/" + image + "/data").then().statusCode(200).body("status", equalTo("ACTIVE"));
    }

    @AfterAll
    void stopCloud() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void memberCreatesAnInstanceThatBecomesActiveAndDeleteFreesEverything() {
        Api member = cloud.newProjectMember("acme");
        long started = System.nanoTime();
        Response created = member.post("/v1/instances", Map.of("name", "web-1", "flavor", "m1.small",
                "image", image, "networks", List.of(Map.of("network", network))));
        created.then().statusCode(202).body("status", equalTo("BUILDING"))
                .header("Location", startsWith("/v1/operations/op-"));
        String id = created.path("id");

        Response active = member.await("/v1/instances/" + id, BUILD_TIMEOUT,
                r -> !"BUILDING".equals(r.path("status")));
        double seconds = (System.nanoTime() - started) / 1e9;
        active.then().statusCode(200).body("status", equalTo("ACTIVE"));
        System.out.printf("e2e: create->ACTIVE took %.2f s%n", seconds);

        String host = active.path("host");
        assertNotNull(host, "an ACTIVE instance names its host");
        assertTrue(host.startsWith("h-"), host);
        String ip = active.path("addresses[0].ip");
        assertTrue(ip.startsWith("10.20.0."), "IP from the subnet: " + ip);
        assertTrue(((String) active.path("addresses[0].mac")).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"));
        String port = active.path("addresses[0].port");
        String volume = active.path("volumes[0].id");
        assertTrue(volume.startsWith("v-"), volume);
        member.get("/v1/ports/" + port).then().statusCode(200).body("device_id", equalTo(id));
        member.get("/v1/volumes/" + volume).then().statusCode(200).body("owner_id", equalTo(id));
        assertEquals(1, cloud.claimsOf(id), "the scheduler holds one claim");
        member.get(created.header("Location")).then().statusCode(200).body("status", equalTo("SUCCEEDED"));

        member.delete("/v1/instances/" + id).then().statusCode(202);
        member.await("/v1/instances/" + id, BUILD_TIMEOUT, r -> "DELETED".equals(r.path("status")));
        assertNothingAllocated(member, id, port, volume);
    }

    @Test
    void whenNoHostFitsTheInstanceErrorsReadablyAndNothingStaysAllocated() {
        Api member = cloud.newProjectMember("bigco");
        cloud.raiseQuota(member, Map.of("ram_mb", 1_000_000, "vcpus", 100));
        String id = member.create("/v1/instances", Map.of("name", "big-1", "flavor", "r1.huge",
                "image", image, "networks", List.of(Map.of("network", network))), 202);

        Response failed = member.await("/v1/instances/" + id, BUILD_TIMEOUT,
                r -> !"BUILDING".equals(r.path("status")));
        failed.then().body("status", equalTo("ERROR"))
                .body("fault.message", containsString("64 GiB"))
                .body("fault.message", containsString("RAM"));
        assertNothingAllocated(member, id, null, null);
    }

    @Test
    void aSpawnFailureOnOneHostIsRetriedOnAnother() {
        // host-1 and host-2 are started with sim failure injection for names "flaky-*"
        Api member = cloud.newProjectMember("flakyco");
        String id = member.create("/v1/instances", Map.of("name", "flaky-1", "flavor", "m1.small",
                "image", image, "networks", List.of(Map.of("network", network))), 202);
        Response active = member.await("/v1/instances/" + id, BUILD_TIMEOUT,
                r -> !"BUILDING".equals(r.path("status")));
        active.then().body("status", equalTo("ACTIVE")).body("host_name", equalTo("host-3"));
        member.delete("/v1/instances/" + id).then().statusCode(202);
        member.await("/v1/instances/" + id, BUILD_TIMEOUT, r -> "DELETED".equals(r.path("status")));
        assertNothingAllocated(member, id, null, null);
    }

    @Test
    void theGatewayIsKilledMidCreateAndTheInstanceStillBecomesActive() {
        Api member = cloud.newProjectMember("crashco");
        String id = member.create("/v1/instances", Map.of("name", "survivor-1", "flavor", "m1.small",
                "image", image, "networks", List.of(Map.of("network", network))), 202);
        long t0 = System.nanoTime();
        cloud.crashAndRestart("api-gateway");
        Response active = member.await("/v1/instances/" + id, RECOVERY_TIMEOUT,
                r -> r.statusCode() == 200 && !"BUILDING".equals(r.path("status")));
        System.out.printf("e2e: gateway crash + restart -> ACTIVE in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        active.then().body("status", equalTo("ACTIVE"));
        assertEquals(1, cloud.claimsOf(id), "exactly one claim after the resumed saga");
        assertEquals(1, ((List<?>) active.path("addresses")).size(), "exactly one port after the resumed saga");
        member.delete("/v1/instances/" + id).then().statusCode(202);
        member.await("/v1/instances/" + id, BUILD_TIMEOUT, r -> "DELETED".equals(r.path("status")));
        assertNothingAllocated(member, id, active.path("addresses[0].port"), active.path("volumes[0].id"));
    }

    @Test
    void everyServiceIsReadyAndExportsPrometheusMetrics() {
        Map<String, String> services = cloud.serviceUrls();
        assertEquals(List.of("api-gateway", "host-1", "host-2", "host-3", "network-svc", "scheduler-svc",
                "storage-svc"), List.copyOf(services.keySet()));
        services.forEach((name, url) -> {
            io.restassured.RestAssured.given().baseUri(url).get("/q/health/ready").then()
                    .statusCode(200).body("status", equalTo("UP"));
            String metrics = io.restassured.RestAssured.given().baseUri(url).get("/q/metrics").then()
                    .statusCode(200).extract().asString();
            assertTrue(metrics.contains("jvm_memory_used_bytes"), name + " exports JVM metrics");
            assertTrue(metrics.contains("virga_"), name + " exports its own virga_* metrics");
        });
        admin.get("/v1/health").then().statusCode(200).body("status", equalTo("ok"));
    }

    @Test
    void aComputeNodeKilledAndRestartedKeepsItsGuestAndTheInstanceStaysActive() {
        Api member = cloud.newProjectMember("nodecrash");
        String id = member.create("/v1/instances", Map.of("name", "steady-1", "flavor", "m1.small",
                "image", image, "networks", List.of(Map.of("network", network))), 202);
        Response active = member.await("/v1/instances/" + id, BUILD_TIMEOUT,
                r -> !"BUILDING".equals(r.path("status")));
        active.then().body("status", equalTo("ACTIVE"));
        String hostName = active.path("host_name");
        double before = cloud.metric(hostName, "virga_compute_guests_running");

        cloud.kill(hostName);
        Instant killed = Instant.now();
        cloud.restart(hostName);

        cloud.awaitMetric(hostName, "virga_compute_guests_running", before,
                hostName + " re-adopts its guests after a crash");
        // the restarted node re-reports its guests' power states at start, then heartbeats: once a
        // heartbeat sent after the restart has reached the scheduler, the re-report went through Kafka too
        cloud.awaitHeartbeatAfter(hostName, killed);
        member.get("/v1/instances/" + id).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("host_name", equalTo(hostName));
        member.delete("/v1/instances/" + id).then().statusCode(202);
        member.await("/v1/instances/" + id, BUILD_TIMEOUT, r -> "DELETED".equals(r.path("status")));
        assertEquals(before - 1, cloud.metric(hostName, "virga_compute_guests_running"),
                "the guest is gone from " + hostName);
        assertNothingAllocated(member, id, active.path("addresses[0].port"), active.path("volumes[0].id"));
    }

    @Test
    void aSchedulerOutageDuringCreateIsRetriedAndTheInstanceStillBecomesActive() {
        Api member = cloud.newProjectMember("outageco");
        cloud.kill("scheduler-svc");
        String id;
        try {
            Response created = member.post("/v1/instances", Map.of("name", "patient-1", "flavor", "m1.small",
                    "image", image, "networks", List.of(Map.of("network", network))));
            created.then().statusCode(202);
            id = created.path("id");
            // the saga has observably reached the claim step and failed against the dead scheduler
            member.await(created.header("Location"), BUILD_TIMEOUT, SpineIT::claimFailedAndIsRetried);
            member.get("/v1/instances/" + id).then().body("status", equalTo("BUILDING"));
        } finally {
            cloud.restart("scheduler-svc"); // returns once its /q/health/ready answers 200
        }
        Response active = member.await("/v1/instances/" + id, RECOVERY_TIMEOUT,
                r -> !"BUILDING".equals(r.path("status")));
        active.then().body("status", equalTo("ACTIVE"));
        assertEquals(1, cloud.claimsOf(id));
        member.delete("/v1/instances/" + id).then().statusCode(202);
        member.await("/v1/instances/" + id, BUILD_TIMEOUT, r -> "DELETED".equals(r.path("status")));
        assertNothingAllocated(member, id, active.path("addresses[0].port"), active.path("volumes[0].id"));
    }

    /** The operation's claim step is running and notes a failed attempt (the saga will retry it). */
    private static boolean claimFailedAndIsRetried(Response operation) {
        if (operation.statusCode() != 200) {
            return false;
        }
        List<Map<String, Object>> steps = operation.jsonPath().getList("steps");
        return steps != null && steps.stream().anyMatch(step -> "claim".equals(step.get("name"))
                && "RUNNING".equals(step.get("status")) && step.get("detail") != null);
    }

    @Test
    void aRetriedCreateWithTheSameIdempotencyKeyMakesOneInstance() {
        Api member = cloud.newProjectMember("retryco");
        Map<String, Object> body = Map.of("name", "once-1", "flavor", "m1.small", "image", image,
                "networks", List.of(Map.of("network", network)));
        Response first = member.request().header("Idempotency-Key", "create-once-1").contentType("application/json")
                .body(body).post("/v1/instances");
        Response again = member.request().header("Idempotency-Key", "create-once-1").contentType("application/json")
                .body(body).post("/v1/instances");
        first.then().statusCode(202);
        again.then().statusCode(202).body("id", equalTo(first.path("id")))
                .header("Location", equalTo(first.header("Location")));
        member.get("/v1/instances").then().body("items.size()", equalTo(1));
        member.get("/v1/usage").then().body("usage.instances", equalTo(1));
        String id = first.path("id");
        member.await("/v1/instances/" + id, BUILD_TIMEOUT, r -> !"BUILDING".equals(r.path("status")));
        member.delete("/v1/instances/" + id).then().statusCode(202);
        member.await("/v1/instances/" + id, BUILD_TIMEOUT, r -> "DELETED".equals(r.path("status")));
        assertNothingAllocated(member, id, null, null);
    }

    static Stream<Arguments> invalidCreates() {
        return Stream.of(
                Arguments.of("missing name", Map.of("flavor", "m1.small", "networks", List.of()), "name"),
                Arguments.of("bad name", Map.of("name", "no spaces allowed", "flavor", "m1.small"), "name"),
                Arguments.of("unknown flavor", Map.of("name", "x", "flavor", "nope"), "flavor"),
                Arguments.of("unknown image", Map.of("name", "x", "flavor", "m1.small", "image", "img-000000000000"),
                        "image"),
                Arguments.of("unknown network", Map.of("name", "x", "flavor", "m1.small",
                        "networks", List.of(Map.of("network", "n-000000000000"))), "network"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCreates")
    void invalidCreateRequestsGetProblemJsonAndChangeNothing(String why, Map<String, Object> body, String field) {
        Api member = cloud.newProjectMember("badinput-" + Math.abs(why.hashCode()));
        Response r = member.post("/v1/instances", withDefaults(body));
        assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, why + ": " + r.statusCode() + " " + r.asString());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertTrue(r.asString().contains(field), why + " should name " + field + ": " + r.asString());
        member.get("/v1/instances").then().statusCode(200).body("items.size()", equalTo(0));
        assertUsageIsZero(member);
    }

    @Test
    void anotherProjectCannotSeeOrDeleteTheInstance() {
        Api owner = cloud.newProjectMember("wall-a");
        Api stranger = cloud.newProjectMember("wall-b");
        String id = owner.create("/v1/instances", Map.of("name", "private-1", "flavor", "m1.small",
                "image", image, "networks", List.of(Map.of("network", network))), 202);
        stranger.get("/v1/instances/" + id).then().statusCode(404);
        stranger.delete("/v1/instances/" + id).then().statusCode(404);
        stranger.get("/v1/instances").then().statusCode(200).body("items.size()", equalTo(0));
        owner.await("/v1/instances/" + id, BUILD_TIMEOUT, r -> !"BUILDING".equals(r.path("status")));
        owner.delete("/v1/instances/" + id).then().statusCode(202);
        owner.await("/v1/instances/" + id, BUILD_TIMEOUT, r -> "DELETED".equals(r.path("status")));
    }

    private Map<String, Object> withDefaults(Map<String, Object> body) {
        Map<String, Object> full = new java.util.HashMap<>(Map.of("image", image,
                "networks", List.of(Map.of("network", network))));
        full.putAll(body);
        return full;
    }

    private void assertNothingAllocated(Api member, String instance, String port, String volume) {
        member.get("/v1/ports?device_id=" + instance).then().statusCode(200).body("items.size()", equalTo(0));
        if (port != null) {
            member.get("/v1/ports/" + port).then().statusCode(404);
        }
        if (volume != null) {
            member.get("/v1/volumes/" + volume).then().statusCode(404);
        }
        List<String> owners = member.get("/v1/volumes").then().statusCode(200).extract().path("items.owner_id");
        assertFalse(owners.contains(instance), "no volume owned by " + instance + ": " + owners);
        assertEquals(0, cloud.claimsOf(instance), "the scheduler holds no claim for " + instance);
        assertUsageIsZero(member);
    }

    private static void assertUsageIsZero(Api member) {
        member.get("/v1/usage").then().statusCode(200)
                .body("usage.instances", equalTo(0)).body("usage.vcpus", equalTo(0)).body("usage.ram_mb", equalTo(0));
    }
}
