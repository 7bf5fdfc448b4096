package io.virga.gateway.instance;

import static io.virga.gateway.instance.TestCloud.createBody;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.virga.contracts.events.v1.InstanceStatusChanged;
import io.virga.gateway.instance.fakes.FakeCompute;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.fakes.InstancesTestProfile;
import io.virga.platform.events.CloudEventCodec;
import io.virga.platform.events.ProtoJson;
import io.virga.platform.events.Topics;
import io.virga.platform.kafka.KafkaClients;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The create and delete sagas against fake services, real PostgreSQL and real Kafka. */
@QuarkusTest
@TestProfile(InstancesTestProfile.class)
class InstanceLifecycleTest {
    @Inject
    DataSource ds;

    Fakes fakes;
    TestCloud.Tenant tenant;
    String network;
    String image;
    String small;

    @BeforeEach
    void setUp() {
        fakes = TestCloud.fakes(ds);
        tenant = TestCloud.newMember();
        network = fakes.network.addNetwork(tenant.projectId(), false, true);
        image = fakes.storage.addImage(tenant.projectId(), "ACTIVE", "qcow2", 1, false);
        small = TestCloud.flavor("m1.small", 1, 512, 2, "vm");
    }

    private Response create(String name, String flavor) {
        Response r = tenant.post("/v1/instances", createBody(name, flavor, image, network));
        r.then().statusCode(202).body("status", equalTo("BUILDING"))
                .header("Location", startsWith("/v1/operations/op-"));
        return r;
    }

    @Test
    void createdInstanceBecomesActiveWithHostAddressAndVolume() {
        Response created = create("web-1", small);
        String id = created.path("id");
        created.then().body("task", equalTo("scheduling")).body("flavor.ram_mb", equalTo(512))
                .body("fault", nullValue());

        Response active = tenant.awaitStatus(id, "ACTIVE");
        active.then().body("task", nullValue()).body("fault", nullValue())
                .body("host", startsWith("h-")).body("host_name", startsWith("host-"))
                .body("addresses[0].network", equalTo(network))
                .body("addresses[0].ip", startsWith("10."))
                .body("volumes[0].boot", equalTo(true)).body("volumes[0].size_gb", equalTo(2));
        String host = active.path("host");
        assertEquals(1, fakes.network.portsOf(id).size());
        assertEquals(active.path("addresses[0].port"), fakes.network.portsOf(id).get(0).getId());
        assertEquals(1, fakes.storage.volumesOf(id).size());
        assertEquals(host, fakes.scheduler.claimOf(id).orElseThrow().getHostId());
        assertTrue(fakes.compute(host).guests().containsKey(id));
        assertEquals(List.of(1L, 1L, 512L), TestCloud.usage(ds, tenant.projectId()));

        Response op = tenant.api().get(created.header("Location"));
        op.then().statusCode(200).body("status", equalTo("SUCCEEDED")).body("kind", equalTo("instance.create"))
                .body("resource_id", equalTo(id)).body("fault", nullValue());
        assertEquals(List.of("ports", "boot_volume", "claim", "spawn", "wait_spawn"), op.path("steps.name"));
        assertTrue(op.<List<String>>path("steps.status").stream().allMatch("SUCCEEDED"::equals), op.asString());

        List<String> expected = List.of("BUILDING", "ACTIVE");
        assertEquals(expected, gatewayEvents(id, seen -> dedupe(seen).equals(expected)));
    }

    @Test
    void deleteReleasesEverythingAndEndsDeleted() {
        String id = create("doomed", small).path("id");
        String host = tenant.awaitStatus(id, "ACTIVE").path("host");

        Response del = tenant.api().delete("/v1/instances/" + id);
        del.then().statusCode(202).body("status", equalTo("DELETING")).body("task", equalTo("deleting"))
                .header("Location", startsWith("/v1/operations/op-"));
        Response deleted = tenant.awaitStatus(id, "DELETED");
        deleted.then().body("task", nullValue()).body("addresses.size()", equalTo(0))
                .body("volumes.size()", equalTo(0));
        assertNothingLeft(id);
        assertFalse(fakes.compute(host).guests().containsKey(id));

        // idempotent: deleting again answers the same operation
        Response again = tenant.api().delete("/v1/instances/" + id);
        again.then().statusCode(202).body("status", equalTo("DELETED"));
        assertEquals(del.header("Location"), again.header("Location"));
        tenant.api().get(del.header("Location")).then().body("status", equalTo("SUCCEEDED"))
                .body("kind", equalTo("instance.delete"));
        // DELETED instances leave the default list but can be asked for
        assertFalse(tenant.api().get("/v1/instances").<List<String>>path("items.id").contains(id));
        assertTrue(tenant.api().get("/v1/instances?status=DELETED").<List<String>>path("items.id").contains(id));
    }

    @Test
    void whenNoHostFitsTheInstanceErrorsReadablyAndNothingStaysAllocated() {
        TestCloud.admin().body(java.util.Map.of("ram_mb", 1_000_000, "vcpus", 100))
                .put("/v1/projects/" + tenant.projectId() + "/quotas").then().statusCode(200);
        String huge = TestCloud.flavor("r1.huge", 2, 65536, 1, "vm");
        Response created = create("big", huge);
        String id = created.path("id");

        Response failed = tenant.awaitStatus(id, "ERROR");
        failed.then().body("task", nullValue()).body("host", nullValue())
                .body("fault.code", equalTo("NoValidHost"))
                .body("fault.message", startsWith("no host has 64 GiB free RAM"));
        assertNothingLeft(id);
        Response op = tenant.api().get(created.header("Location"));
        op.then().body("status", equalTo("FAILED")).body("fault.code", equalTo("NoValidHost"));
        List<String> steps = op.path("steps.name");
        assertEquals(List.of("ports", "boot_volume", "claim", "destroy_guest", "release_claim", "delete_ports",
                "delete_volumes", "release_block_devices", "mark_error"), steps);
    }

    @Test
    void spawnFailureOnOneHostIsRetriedOnAnotherHost() {
        fakes.scriptSpawns(FakeCompute.Mode.FAIL);
        String id = create("flaky", small).path("id");
        Response active = tenant.awaitStatus(id, "ACTIVE");
        String host = active.path("host");
        List<FakeCompute> tried = fakes.computes.stream().filter(c -> c.everSpawned(id)).toList();
        assertEquals(2, tried.size(), "spawned on exactly two hosts");
        FakeCompute failed = tried.stream().filter(c -> !c.hostId().equals(host)).findFirst().orElseThrow();
        assertFalse(failed.guests().containsKey(id));
        assertEquals(1, fakes.guestsOf(id));
        assertEquals(host, fakes.scheduler.claimOf(id).orElseThrow().getHostId());
        assertEquals(1, fakes.network.portsOf(id).size(), "ports are kept across hosts");
        Response op = tenant.api().get("/v1/operations?limit=10");
        assertTrue(op.<List<String>>path("items[0].steps.name").contains("reschedule"), op.asString());
    }

    @Test
    void aHostThatNeverReportsTimesOutAndTheGuestMovesOn() {
        fakes.scriptSpawns(FakeCompute.Mode.SILENT);
        String id = create("slow", small).path("id");
        String host = tenant.awaitStatus(id, "ACTIVE").path("host");
        FakeCompute silent = fakes.computes.stream().filter(c -> c.everSpawned(id) && !c.hostId().equals(host))
                .findFirst().orElseThrow();
        assertFalse(silent.guests().containsKey(id), "the silent host's guest was destroyed");
        assertEquals(1, fakes.guestsOf(id));
    }

    @Test
    void whenEveryHostFailsTheInstanceErrorsAndNothingStaysAllocated() {
        fakes.scriptSpawns(FakeCompute.Mode.FAIL, FakeCompute.Mode.FAIL, FakeCompute.Mode.FAIL);
        String id = create("doomed-everywhere", small).path("id");
        Response failed = tenant.awaitStatus(id, "ERROR");
        failed.then().body("fault.code", equalTo("SpawnFailed"));
        String message = failed.path("fault.message");
        assertTrue(message.startsWith("spawning failed on 3 hosts; last: host-"), message);
        assertTrue(message.contains("injected boot failure"), message);
        assertEquals(3, fakes.computes.stream().filter(c -> c.everSpawned(id)).count());
        assertNothingLeft(id);
    }

    @Test
    void aServiceDownForAWhileIsRetriedTransparently() {
        fakes.network.failures.failNext("CreatePort", 2, io.grpc.Status.UNAVAILABLE);
        String id = create("patient", small).path("id");
        tenant.awaitStatus(id, "ACTIVE");
        assertEquals(3, fakes.network.failures.calls("CreatePort"));
        assertEquals(1, fakes.network.portsOf(id).size());
    }

    @Test
    void aServiceThatStaysDownFailsTheCreateReadablyAfterTheOutageBudgetAndCleansUp() {
        fakes.storage.failures.failAlways("CreateVolume", io.grpc.Status.UNAVAILABLE);
        long t0 = System.nanoTime();
        String id = create("unlucky", small).path("id");
        Response failed = tenant.awaitStatus(id, "ERROR");
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        failed.then().body("fault.code", equalTo("ServiceUnavailable"));
        String message = failed.path("fault.message");
        assertTrue(message.startsWith("creating the boot volume (storage-svc) failed: the service was unreachable"
                + " for "), message);
        assertTrue(message.contains("UNAVAILABLE"), message);
        assertTrue(tookMs >= 5_000, "an outage is waited out for the whole budget (5 s here), not a few attempts: "
                + tookMs + " ms");
        assertTrue(fakes.storage.failures.calls("CreateVolume") > 3, "more tries than the attempt limit");
        assertNothingLeft(id);
    }

    /** SpineIT's scheduler outage, in small: more failed tries than the attempt limit, within the time budget. */
    @Test
    void anOutageLongerThanTheAttemptLimitIsWaitedOutAndTheOperationShowsTheWait() {
        fakes.scheduler.failures.failAlways("SelectAndClaim", io.grpc.Status.UNAVAILABLE);
        Response created = create("outage", small);
        String id = created.path("id");
        tenant.await(created.header("Location"), r -> String.valueOf((Object) r.path("steps.detail"))
                .contains("waiting for the service: UNAVAILABLE"));
        tenant.await("/v1/instances/" + id, r -> fakes.scheduler.failures.calls("SelectAndClaim") > 4);
        tenant.api().get("/v1/instances/" + id).then().body("status", equalTo("BUILDING"))
                .body("task", equalTo("scheduling"));
        fakes.scheduler.failures.clear();
        tenant.awaitStatus(id, "ACTIVE");
        assertEquals(1, fakes.guestsOf(id));
    }

    @Test
    void anInternalErrorKeepsItsAttemptLimit() {
        fakes.storage.failures.failAlways("CreateVolume", io.grpc.Status.INTERNAL);
        String id = create("broken", small).path("id");
        Response failed = tenant.awaitStatus(id, "ERROR");
        failed.then().body("fault.code", equalTo("ServiceUnavailable"));
        String message = failed.path("fault.message");
        assertTrue(message.startsWith("creating the boot volume (storage-svc) failed after 3 attempts: INTERNAL"),
                message);
        assertEquals(3, fakes.storage.failures.calls("CreateVolume"));
        assertNothingLeft(id);
    }

    @Test
    void cleanupRetriesUntilTheServiceComesBack() {
        fakes.scheduler.failures.failNext("ReleaseClaim", 4, io.grpc.Status.UNAVAILABLE);
        String id = create("sticky", small).path("id");
        tenant.awaitStatus(id, "ACTIVE");
        tenant.api().delete("/v1/instances/" + id).then().statusCode(202);
        tenant.awaitStatus(id, "DELETED");
        assertEquals(5, fakes.scheduler.failures.calls("ReleaseClaim"));
        assertNothingLeft(id);
    }

    @Test
    void deletingWhileBuildingStopsTheBuildAndCleansUp() {
        fakes.scriptSpawns(FakeCompute.Mode.SILENT);
        Response created = create("impatient", small);
        String id = created.path("id");
        tenant.await("/v1/instances/" + id, r -> "spawning".equals(r.path("task")));
        tenant.api().delete("/v1/instances/" + id).then().statusCode(202);
        tenant.awaitStatus(id, "DELETED");
        assertNothingLeft(id);
        tenant.api().get(created.header("Location")).then().body("status", equalTo("FAILED"))
                .body("fault.code", equalTo("Cancelled"));
    }

    @Test
    void powerStatesOfARunningGuestAreFollowed() {
        String id = create("watched", small).path("id");
        String host = tenant.awaitStatus(id, "ACTIVE").path("host");
        FakeCompute node = fakes.compute(host);
        FakeCompute other = fakes.computes.stream().filter(c -> !c.hostId().equals(host)).findFirst().orElseThrow();

        node.report(id, io.virga.contracts.events.v1.PowerState.SHUTDOWN, "");
        tenant.awaitStatus(id, "STOPPED").then().body("fault", nullValue());
        other.report(id, io.virga.contracts.events.v1.PowerState.RUNNING, ""); // not its host: ignored
        node.report(id, io.virga.contracts.events.v1.PowerState.PAUSED, ""); // STOPPED → PAUSED: not declared
        node.report(id, io.virga.contracts.events.v1.PowerState.CRASHED, "kernel panic");
        Response crashed = tenant.awaitStatus(id, "ERROR");
        crashed.then().body("fault.code", equalTo("GuestCrashed"))
                .body("fault.message", equalTo("the guest crashed on " + crashed.path("host_name") + ": kernel panic"));
        node.report(id, io.virga.contracts.events.v1.PowerState.RUNNING, "");
        tenant.awaitStatus(id, "ACTIVE").then().body("fault", nullValue());
        List<String> expected = List.of("BUILDING", "ACTIVE", "STOPPED", "ERROR", "ACTIVE");
        assertEquals(expected, gatewayEvents(id, seen -> dedupe(seen).equals(expected)));
    }

    @Test
    void aHostThatStaysUnreachableDoesNotBlockTheDeleteAndTheOperationSaysSo() {
        String id = create("stranded", small).path("id");
        String host = tenant.awaitStatus(id, "ACTIVE").path("host");
        fakes.compute(host).failures.failAlways("Destroy", io.grpc.Status.UNAVAILABLE);
        Response del = tenant.api().delete("/v1/instances/" + id);
        tenant.awaitStatus(id, "DELETED");
        Response op = tenant.api().get(del.header("Location"));
        op.then().body("status", equalTo("SUCCEEDED")).body("steps[0].name", equalTo("destroy_guest"));
        String detail = op.path("steps[0].detail");
        assertTrue(detail.contains("not confirmed destroyed"), detail);
        assertEquals(0, fakes.network.portsOf(id).size());
        assertTrue(fakes.scheduler.claimOf(id).isEmpty());
        TestCloud.assertUsageZero(ds, tenant.projectId());

        // the guest is not forgotten: once the host answers again, the reaper destroys it
        assertEquals(1, fakes.guestsOf(id));
        fakes.compute(host).failures.clear();
        awaitNoGuest(id);
    }

    @Test
    void aGuestOnAHostThatFailedItIsDestroyedWhenTheHostAnswersAgain() {
        fakes.scriptSpawns(FakeCompute.Mode.SILENT);
        fakes.computes.forEach(c -> c.failures.failAlways("Destroy", io.grpc.Status.UNAVAILABLE));
        String id = create("left-behind", small).path("id");
        String host = tenant.awaitStatus(id, "ACTIVE").path("host");
        assertEquals(2, fakes.guestsOf(id), "the silent host still has its guest");
        fakes.computes.forEach(c -> c.failures.clear());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((fakes.guestsOf(id) != 1 || orphansOf(id) > 0) && System.nanoTime() < deadline) {
            TestCloud.sleep(50);
        }
        assertEquals(1, fakes.guestsOf(id));
        assertTrue(fakes.compute(host).guests().containsKey(id), "the instance's own guest is untouched");
        tenant.api().get("/v1/instances/" + id).then().body("status", equalTo("ACTIVE"));
    }

    @Test
    void aHostReportingAGuestItShouldNotHaveGetsItDestroyed() {
        String id = create("haunted", small).path("id");
        String host = tenant.awaitStatus(id, "ACTIVE").path("host");
        FakeCompute stray = fakes.computes.stream().filter(c -> !c.hostId().equals(host)).findFirst().orElseThrow();
        stray.plant(id);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((stray.guests().containsKey(id) || orphansOf(id) > 0) && System.nanoTime() < deadline) {
            TestCloud.sleep(50);
        }
        assertFalse(stray.guests().containsKey(id), "the stray guest was destroyed");
        assertTrue(fakes.compute(host).guests().containsKey(id));
        assertEquals(0, orphansOf(id));
        tenant.api().get("/v1/instances/" + id).then().body("status", equalTo("ACTIVE"));
    }

    private long orphansOf(String id) {
        return TestCloud.count(ds, "SELECT count(*) FROM orphan_guests WHERE instance_id = ?", id);
    }

    private void awaitNoGuest(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((fakes.guestsOf(id) > 0 || orphansOf(id) > 0) && System.nanoTime() < deadline) {
            TestCloud.sleep(50);
        }
        assertEquals(0, fakes.guestsOf(id), "guests of " + id);
        assertEquals(0, orphansOf(id));
    }

    @Test
    void metricsCountCreatesAndStepFailures() {
        fakes.network.failures.failNext("CreatePort", 1, io.grpc.Status.UNAVAILABLE);
        String id = create("measured", small).path("id");
        tenant.awaitStatus(id, "ACTIVE");
        String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("virga_instance_create_seconds_count")), metrics);
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("virga_workflow_step_failures_total")
                && l.contains("step=\"ports\"") && l.contains("class=\"outage\"")), metrics);
    }

    private void assertNothingLeft(String id) {
        assertEquals(0, fakes.network.portsOf(id).size(), "ports of " + id);
        assertEquals(0, fakes.storage.volumesOf(id).size(), "volumes of " + id);
        assertTrue(fakes.scheduler.claimOf(id).isEmpty(), "claim of " + id);
        assertEquals(0, fakes.guestsOf(id), "guests of " + id);
        TestCloud.assertUsageZero(ds, tenant.projectId());
        assertEquals(0, TestCloud.count(ds, "SELECT count(*) FROM instance_ports WHERE instance_id = ?", id));
        assertEquals(0, TestCloud.count(ds, "SELECT count(*) FROM instance_volumes WHERE instance_id = ?", id));
    }

    /**
     * The statuses of the instance's InstanceStatusChanged events on Kafka, read until {@code done} holds for
     * them (deduplicated), failing after 30 s.
     */
    static List<String> gatewayEvents(String id, java.util.function.Predicate<List<String>> done) {
        String bootstrap = ConfigProvider.getConfig().getValue("virga.kafka.bootstrap-servers", String.class);
        List<String> statuses = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(bootstrap, "test-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(Topics.GATEWAY_INSTANCES));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (!id.equals(r.key())) {
                        continue;
                    }
                    InstanceStatusChanged e = ProtoJson.parse(CloudEventCodec.decode(r.value()).data(),
                            InstanceStatusChanged.newBuilder());
                    statuses.add(e.getStatus());
                }
                if (done.test(statuses)) {
                    return dedupe(statuses);
                }
            }
        }
        throw new AssertionError("unexpected events for " + id + " on Kafka: " + statuses);
    }

    static List<String> dedupe(List<String> statuses) {
        List<String> out = new ArrayList<>();
        for (String s : statuses) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
