package io.virga.gateway.instance;

import static io.virga.gateway.instance.TestCloud.createBody;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.virga.contracts.events.v1.PowerState;
import io.virga.contracts.scheduler.v1.Claim;
import io.virga.gateway.instance.fakes.FakeCompute;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.fakes.InstancesTestProfile;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resize, migrate (cold), confirm, revert, live-migrate and evacuate through
 * HTTP against the fake nodes and scheduler: where the guest ends, the
 * instance's host, flavor and status, the migration record, and that exactly
 * one claim per instance remains whatever the ending.
 */
@QuarkusTest
@TestProfile(InstancesTestProfile.class)
class InstanceMovesTest {
    @Inject
    DataSource ds;

    Fakes fakes;
    TestCloud.Tenant tenant;
    TestCloud.Tenant admin;
    String network;
    String image;
    String small;
    String big;

    @BeforeEach
    void setUp() {
        fakes = TestCloud.fakes(ds);
        fakes.computes.forEach(c -> fakes.scheduler.down(c.hostId(), false));
        tenant = TestCloud.newMember();
        admin = new TestCloud.Tenant(tenant.projectId(), TestCloud.adminToken());
        network = fakes.network.addNetwork(tenant.projectId(), false, true);
        image = fakes.storage.addImage(tenant.projectId(), "ACTIVE", "qcow2", 1, false);
        small = TestCloud.flavor("m1.small", 1, 512, 2, "vm");
        big = TestCloud.flavor("m1.big", 2, 1024, 4, "vm");
    }

    private String active(String name) {
        String id = tenant.post("/v1/instances", createBody(name, small, image, network)).then().statusCode(202)
                .extract().path("id");
        tenant.awaitStatus(id, "ACTIVE");
        return id;
    }

    /** Runs the action as {@code who}; expects 202 and the operation SUCCEEDED; the instance settled in {@code status}. */
    static Response run(TestCloud.Tenant who, String id, String status, Object... kv) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int n = 0; n < kv.length; n += 2) {
            body.put((String) kv[n], kv[n + 1]);
        }
        Response accepted = who.post("/v1/instances/" + id + "/actions", body);
        accepted.then().statusCode(202).header("Location", startsWith("/v1/operations/op-"));
        who.await(accepted.header("Location"), r -> !"RUNNING".equals(r.path("status")))
                .then().body("status", equalTo("SUCCEEDED")).body("kind", equalTo("instance." + body.get("action")));
        return who.await("/v1/instances/" + id, r -> status.equals(r.path("status")) && r.path("task") == null);
    }

    private String hostOf(String id) {
        return tenant.api().get("/v1/instances/" + id).path("host");
    }

    /** The instance holds exactly one claim, on {@code hostId}, and nothing else claims for it. */
    private void assertOneClaimOn(String id, String hostId) {
        Claim claim = fakes.scheduler.claimOf(id).orElseThrow(() -> new AssertionError("no claim for " + id));
        assertEquals(hostId, claim.getHostId());
        List<String> migrationClaims = fakes.scheduler.claims().keySet().stream().filter(k -> k.startsWith("mig-"))
                .filter(k -> migrationOf(id).contains(k)).toList();
        assertEquals(List.of(), migrationClaims, "no destination claim left behind");
    }

    private List<String> migrationOf(String id) {
        return TestCloud.admin().queryParam("instance_id", id).get("/v1/migrations").path("items.id");
    }

    private Map<String, Object> lastMigration(String id) {
        List<Map<String, Object>> items = TestCloud.admin().queryParam("instance_id", id).get("/v1/migrations")
                .then().statusCode(200).extract().path("items");
        return items.get(items.size() - 1);
    }

    @Test
    void resizeThenConfirmKeepsTheNewFlavorOnTheNewHostWithOneClaim() {
        String id = active("resize-confirm");
        String source = hostOf(id);
        Response verify = run(tenant, id, "VERIFY_RESIZE", "action", "resize", "flavor_id", big);
        verify.then().body("flavor.name", equalTo(big)).body("flavor.vcpus", equalTo(2));
        String dest = verify.path("host");
        assertNotEquals(source, dest);
        assertEquals(PowerState.RUNNING, fakes.compute(dest).guests().get(id));
        assertEquals(PowerState.SHUTDOWN, fakes.compute(source).guests().get(id), "the source copy waits");
        assertEquals(2, fakes.scheduler.claims().values().stream().filter(c -> c.getConsumerId().equals(id)
                || migrationOf(id).contains(c.getConsumerId())).count(), "both claims held in VERIFY_RESIZE");
        assertEquals("finished", lastMigration(id).get("status"));
        assertEquals(List.of(1L, 2L, 1024L), TestCloud.usage(ds, tenant.projectId()), "quota holds the bigger flavor");

        run(tenant, id, "ACTIVE", "action", "confirm-resize");
        assertEquals(dest, hostOf(id));
        assertTrue(!fakes.compute(source).guests().containsKey(id), "the source copy is gone");
        assertOneClaimOn(id, dest);
        assertEquals(4, fakes.scheduler.claimOf(id).orElseThrow().getResources().getDiskGb());
        Map<String, Object> m = lastMigration(id);
        assertEquals("confirmed", m.get("status"));
        assertEquals("resize", m.get("kind"));
        assertEquals(List.of(1L, 2L, 1024L), TestCloud.usage(ds, tenant.projectId()));
    }

    @Test
    void resizeThenRevertGoesBackToTheSourceAndTheOldFlavor() {
        String id = active("resize-revert");
        String source = hostOf(id);
        String dest = run(tenant, id, "VERIFY_RESIZE", "action", "resize", "flavor_id", big).path("host");
        run(tenant, id, "ACTIVE", "action", "revert-resize").then().body("flavor.name", equalTo(small));
        assertEquals(source, hostOf(id));
        assertEquals(PowerState.RUNNING, fakes.compute(source).guests().get(id));
        assertTrue(!fakes.compute(dest).guests().containsKey(id));
        assertOneClaimOn(id, source);
        assertEquals(1, fakes.scheduler.claimOf(id).orElseThrow().getResources().getVcpus());
        assertEquals("reverted", lastMigration(id).get("status"));
        assertEquals(List.of(1L, 1L, 512L), TestCloud.usage(ds, tenant.projectId()), "the growth is given back");
    }

    @Test
    void migrateOfAStoppedInstanceEndsStoppedOnTheChosenHost() {
        String id = active("migrate-stopped");
        InstanceActionsTestSupport.stop(tenant, id);
        String source = hostOf(id);
        String target = fakes.computes.stream().map(FakeCompute::hostId).filter(h -> !h.equals(source)).findFirst()
                .orElseThrow();
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "migrate", "host", target)).then()
                .statusCode(403);
        run(admin, id, "VERIFY_RESIZE", "action", "migrate", "host", target);
        assertEquals(target, hostOf(id));
        assertEquals(PowerState.SHUTDOWN, fakes.compute(target).guests().get(id), "it was stopped: it stays so");
        run(tenant, id, "STOPPED", "action", "confirm-resize");
        assertOneClaimOn(id, target);
        assertEquals("migration", lastMigration(id).get("kind"));
    }

    @Test
    void liveMigrateMovesTheRunningGuestAndEndsActive() {
        String id = active("live");
        String source = hostOf(id);
        String dest = run(tenant, id, "ACTIVE", "action", "live-migrate").path("host");
        assertNotEquals(source, dest);
        assertEquals(PowerState.RUNNING, fakes.compute(dest).guests().get(id));
        assertTrue(!fakes.compute(source).guests().containsKey(id));
        assertOneClaimOn(id, dest);
        assertEquals("completed", lastMigration(id).get("status"));
    }

    @Test
    void evacuateRebuildsElsewhereOnlyWhenTheHostIsDown() {
        String id = active("evacuee");
        String source = hostOf(id);
        admin.post("/v1/instances/" + id + "/actions", Map.of("action", "evacuate")).then().statusCode(409)
                .body("detail", containsString("DOWN"));
        fakes.scheduler.down(source, true);
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "evacuate")).then().statusCode(403);
        String dest = run(admin, id, "ACTIVE", "action", "evacuate").path("host");
        assertNotEquals(source, dest);
        assertEquals(PowerState.RUNNING, fakes.compute(dest).guests().get(id));
        assertTrue(fakes.compute(dest).everSpawned(id));
        assertOneClaimOn(id, dest);
        tenant.api().get("/v1/instances/" + id).then().body("addresses.size()", equalTo(1));
        assertEquals("evacuation", lastMigration(id).get("kind"));
    }

    @Test
    void aMoveThatFailsMidwayLeavesTheInstanceOnItsSourceWithOneClaim() {
        String id = active("failing-move");
        String source = hostOf(id);
        fakes.computes.forEach(c -> c.failures.failAlways("PrepareIncoming",
                io.grpc.Status.FAILED_PRECONDITION));
        Response accepted = tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "resize",
                "flavor_id", big));
        accepted.then().statusCode(202).body("status", equalTo("RESIZING"));
        tenant.await(accepted.header("Location"), r -> "FAILED".equals(r.path("status")))
                .then().body("fault.message", containsString("FAILED_PRECONDITION"));
        tenant.awaitSettled(id).then().body("status", equalTo("ACTIVE")).body("flavor.name", equalTo(small));
        assertEquals(source, hostOf(id));
        assertEquals(PowerState.RUNNING, fakes.compute(source).guests().get(id), "started again");
        assertOneClaimOn(id, source);
        assertEquals("error", lastMigration(id).get("status"));
        assertEquals(List.of(1L, 1L, 512L), TestCloud.usage(ds, tenant.projectId()));
    }

    @Test
    void forbiddenMovesAre409And400sNameTheField() {
        String id = active("forbidden-moves");
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "confirm-resize")).then().statusCode(409)
                .body("current_status", equalTo("ACTIVE")).body("allowed_statuses", equalTo(List.of("VERIFY_RESIZE")));
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "revert-resize")).then().statusCode(409);
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "resize")).then().statusCode(400)
                .body("errors[0].field", equalTo("flavor_id"));
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "resize", "flavor_id", small)).then()
                .statusCode(400).body("errors[0].field", equalTo("flavor_id"));
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "resize", "flavor_id", "f-nosuchflavor"))
                .then().statusCode(400).body("errors[0].field", equalTo("flavor_id"));
        run(tenant, id, "PAUSED", "action", "pause");
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "live-migrate")).then().statusCode(409)
                .body("current_status", equalTo("PAUSED")).body("allowed_statuses", equalTo(List.of("ACTIVE")));
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "migrate")).then().statusCode(409)
                .body("allowed_statuses", equalTo(List.of("ACTIVE", "STOPPED")));
        TestCloud.admin().get("/v1/migrations").then().statusCode(200);
        tenant.api().get("/v1/migrations").then().statusCode(403);
        assertEquals(List.of(), migrationOf(id));
    }

    @Test
    void aHostWithoutMigrationIs409NamingTheTrait() {
        String id = active("no-migrate");
        FakeCompute node = fakes.compute(hostOf(id));
        java.util.Set<String> fewer = new java.util.HashSet<>(FakeCompute.ALL_TRAITS);
        fewer.remove("COMPUTE_LIVE_MIGRATE");
        node.capabilities(fewer);
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "live-migrate")).then().statusCode(409)
                .body("detail", containsString("COMPUTE_LIVE_MIGRATE"));
        assertEquals(List.of(), migrationOf(id));
    }

    @Test
    void deletingAnInstanceWaitingInVerifyResizeLeavesNoClaimAndNoGuest() {
        String id = active("deleted-in-verify");
        String source = hostOf(id);
        String dest = run(tenant, id, "VERIFY_RESIZE", "action", "resize", "flavor_id", big).path("host");
        tenant.api().delete("/v1/instances/" + id).then().statusCode(202);
        tenant.awaitStatus(id, "DELETED");
        assertEquals(0, fakes.guestsOf(id));
        assertTrue(fakes.scheduler.claimOf(id).isEmpty());
        assertEquals(List.of(), fakes.scheduler.claims().keySet().stream().filter(migrationOf(id)::contains)
                .toList());
        assertEquals("error", lastMigration(id).get("status"));
        TestCloud.assertUsageZero(ds, tenant.projectId());
        assertNotEquals(source, dest);
    }
}
