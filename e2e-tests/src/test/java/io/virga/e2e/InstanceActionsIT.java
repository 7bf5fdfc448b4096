package io.virga.e2e;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Instance actions end to end on real processes (the gateway, scheduler,
 * storage, network and three {@code sim} compute nodes): snapshot and a new
 * instance from it, rebuild, resize with confirm and with revert, cold and
 * live migration, evacuation off a SIGKILLed node, and forbidden transitions;
 * claims are read from the scheduler's own database. Evacuation kills a node,
 * so it runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstanceActionsIT {
    /** Budget of any one action or create on a busy machine: only a stuck workflow reaches it. */
    private static final Duration ACTION_TIMEOUT = Duration.ofMinutes(3);
    /** A killed node must miss heartbeats for the scheduler's host timeout (30 s) before it is DOWN. */
    private static final Duration DOWN_TIMEOUT = Duration.ofMinutes(3);

    private Cloud cloud;
    private Api admin;
    private Api member;
    private String network;
    private String image;

    @BeforeAll
    void startCloud() {
        cloud = Cloud.start();
        admin = cloud.admin();
        admin.post("/v1/flavors", Map.of("name", "a1.small", "vcpus", 1, "ram_mb", 512, "disk_gb", 1))
                .then().statusCode(201);
        admin.post("/v1/flavors", Map.of("name", "a1.medium", "vcpus", 2, "ram_mb", 1024, "disk_gb", 2))
                .then().statusCode(201);
        network = admin.create("/v1/networks", Map.of("name", "actions", "shared", true), 201);
        admin.post("/v1/networks/" + network + "/subnets", Map.of("name", "actions-v4", "cidr", "10.40.0.0/24"))
                .then().statusCode(201);
        image = admin.create("/v1/images", Map.of("name", "tiny", "disk_format", "raw", "visibility", "public"), 201);
        admin.request().contentType("application/octet-stream").body(new byte[64 * 1024])
                .put("/v1/images/" + image + "/data").then().statusCode(200).body("status", equalTo("ACTIVE"));
        member = cloud.newProjectMember("movers");
        cloud.raiseQuota(member, Map.of("instances", 50, "vcpus", 100, "ram_mb", 100_000));
    }

    @AfterAll
    void stopCloud() {
        if (cloud != null) {
            cloud.close();
        }
    }

    private String active(String name, String from) {
        String id = member.create("/v1/instances", Map.of("name", name, "flavor", "a1.small", "image", from,
                "networks", List.of(Map.of("network", network))), 202);
        member.await("/v1/instances/" + id, ACTION_TIMEOUT, r -> !"BUILDING".equals(r.path("status")))
                .then().body("status", equalTo("ACTIVE"));
        return id;
    }

    /** Runs an action as {@code who}: 202, operation SUCCEEDED, the instance settled in {@code status}. */
    private Response act(Api who, String id, String status, Object... kv) {
        Response op = who.await(accepted(who, id, kv), ACTION_TIMEOUT,
                r -> !"RUNNING".equals(r.path("status")));
        assertEquals("SUCCEEDED", op.path("status"), "the operation: " + op.asString());
        who.await("/v1/instances/" + id, ACTION_TIMEOUT, r -> status.equals(r.path("status"))
                && r.path("task") == null);
        return op;
    }

    private Response instance(String id) {
        return member.get("/v1/instances/" + id).then().statusCode(200).extract().response();
    }

    private List<Map<String, Object>> migrations(String id) {
        return admin.request().queryParam("instance_id", id).get("/v1/migrations").then().statusCode(200)
                .extract().path("items");
    }

    /** One claim for the instance, on its host; none left under its migrations' ids. */
    private void assertOneClaim(String id) {
        assertEquals(1, cloud.claimsOf(id), "the instance holds one claim");
        for (Map<String, Object> m : migrations(id)) {
            assertEquals(0, cloud.claimsOf((String) m.get("id")), "no claim left under " + m.get("id"));
        }
    }

    @Test
    @Order(1)
    void aSnapshotBecomesAnImageThatBootsANewInstance() {
        String id = active("snap-src", image);
        Response op = act(member, id, "ACTIVE", "action", "snapshot", "name", "snap-src-backup");
        String snap = op.path("result.image_id");
        member.get("/v1/images/" + snap).then().statusCode(200).body("status", equalTo("ACTIVE"))
                .body("name", equalTo("snap-src-backup"));
        String clone = active("from-snap", snap);
        instance(clone).then().body("image", equalTo(snap));
    }

    @Test
    @Order(2)
    void rebuildKeepsTheIdPortsAndAddresses() {
        String id = active("rebuilt", image);
        Response before = instance(id);
        String snap = act(member, id, "ACTIVE", "action", "snapshot", "name", "rebuild-src").path("result.image_id");
        act(member, id, "ACTIVE", "action", "rebuild", "image_id", snap);
        Response after = instance(id);
        after.then().body("image", equalTo(snap)).body("host", equalTo(before.path("host")));
        assertEquals((Object) before.path("addresses"), after.path("addresses"));
        assertOneClaim(id);
    }

    @Test
    @Order(3)
    void resizeAndConfirmLeavesTheNewFlavorOnAnotherHostWithOneClaim() {
        String id = active("resize-confirm", image);
        String source = instance(id).path("host");
        act(member, id, "VERIFY_RESIZE", "action", "resize", "flavor_id", "a1.medium");
        assertEquals(2, cloud.claimsOf(id) + cloud.claimsOf((String) migrations(id).get(0).get("id")),
                "source and destination held while it waits");
        act(member, id, "ACTIVE", "action", "confirm-resize");
        Response after = instance(id);
        after.then().body("flavor.name", equalTo("a1.medium"));
        assertNotEquals(source, after.path("host"));
        assertOneClaim(id);
        assertEquals("confirmed", migrations(id).get(0).get("status"));
    }

    @Test
    @Order(4)
    void resizeAndRevertGoesBackWithOneClaim() {
        String id = active("resize-revert", image);
        String source = instance(id).path("host");
        act(member, id, "VERIFY_RESIZE", "action", "resize", "flavor_id", "a1.medium");
        act(member, id, "ACTIVE", "action", "revert-resize");
        instance(id).then().body("flavor.name", equalTo("a1.small")).body("host", equalTo(source));
        assertOneClaim(id);
        assertEquals("reverted", migrations(id).get(0).get("status"));
    }

    @Test
    @Order(5)
    void migrateAndConfirmChangesTheHost() {
        String id = active("migrated", image);
        String source = instance(id).path("host");
        act(member, id, "VERIFY_RESIZE", "action", "migrate");
        act(member, id, "ACTIVE", "action", "confirm-resize");
        assertNotEquals(source, instance(id).path("host"));
        assertOneClaim(id);
    }

    @Test
    @Order(6)
    void liveMigrateMovesTheRunningGuest() {
        String id = active("live", image);
        String source = instance(id).path("host");
        act(member, id, "ACTIVE", "action", "live-migrate");
        assertNotEquals(source, instance(id).path("host"));
        assertOneClaim(id);
        assertEquals("completed", migrations(id).get(0).get("status"));
    }

    @Test
    @Order(7)
    void forbiddenTransitionsAre409() {
        String id = active("forbidden", image);
        member.post("/v1/instances/" + id + "/actions", Map.of("action", "confirm-resize")).then().statusCode(409)
                .body("current_status", equalTo("ACTIVE"));
        admin.post("/v1/instances/" + id + "/actions", Map.of("action", "evacuate")).then().statusCode(409)
                .body("detail", containsString("DOWN"));
        act(member, id, "STOPPED", "action", "stop");
        member.post("/v1/instances/" + id + "/actions", Map.of("action", "live-migrate")).then().statusCode(409)
                .body("current_status", equalTo("STOPPED")).body("allowed_statuses", equalTo(List.of("ACTIVE")));
        assertEquals(List.of(), migrations(id));
    }

    @Test
    @Order(8)
    void aGatewayKilledMidResizeMigrateAndSnapshotResumesThemWithOneClaimAndOneImage() {
        String resized = active("crash-resize", image);
        String migrated = active("crash-migrate", image);
        String snapped = active("crash-snap", image);
        String migratedFrom = instance(migrated).path("host");
        List<String> ops = List.of(
                accepted(member, resized, "action", "resize", "flavor_id", "a1.medium"),
                accepted(member, migrated, "action", "migrate"),
                accepted(member, snapped, "action", "snapshot", "name", "crash-snap-image"));
        cloud.crashAndRestart("api-gateway");
        for (String op : ops) {
            member.await(op, ACTION_TIMEOUT, r -> r.statusCode() == 200 && !"RUNNING".equals(r.path("status")))
                    .then().body("status", equalTo("SUCCEEDED"));
        }
        member.await("/v1/instances/" + resized, ACTION_TIMEOUT,
                r -> "VERIFY_RESIZE".equals(r.path("status")) && r.path("task") == null);
        member.await("/v1/instances/" + migrated, ACTION_TIMEOUT,
                r -> "VERIFY_RESIZE".equals(r.path("status")) && r.path("task") == null);
        assertEquals(2, cloud.claimsOf(resized) + cloud.claimsOf((String) migrations(resized).get(0).get("id")),
                "the resized instance holds its source and its destination while it waits");
        act(member, resized, "ACTIVE", "action", "confirm-resize");
        instance(resized).then().body("flavor.name", equalTo("a1.medium"));
        assertOneClaim(resized);
        act(member, migrated, "ACTIVE", "action", "revert-resize");
        instance(migrated).then().body("host", equalTo(migratedFrom));
        assertOneClaim(migrated);
        instance(snapped).then().body("status", equalTo("ACTIVE"));
        List<Object> images = member.get("/v1/images?limit=200").then().statusCode(200).extract().jsonPath()
                .getList("items.findAll { it.name == 'crash-snap-image' }.status");
        assertEquals(List.of("ACTIVE"), images, "one snapshot image, whole, after the crash");
    }

    /** Posts an action and returns its operation's Location (202). */
    private String accepted(Api who, String id, Object... kv) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int n = 0; n < kv.length; n += 2) {
            body.put((String) kv[n], kv[n + 1]);
        }
        Response r = who.post("/v1/instances/" + id + "/actions", body);
        r.then().statusCode(202);
        return r.header("Location");
    }

    @Test
    @Order(9)
    void evacuateRebuildsAnInstanceOfAKilledNodeElsewhere() {
        String id = active("evacuee", image);
        Response before = instance(id);
        String hostId = before.path("host");
        String node = admin.get("/v1/hosts").jsonPath().getString("items.find { it.id == '" + hostId + "' }.name");
        cloud.kill(node);
        admin.await("/v1/hosts", DOWN_TIMEOUT, r -> "DOWN".equals(r.jsonPath()
                .getString("items.find { it.id == '" + hostId + "' }.status")));
        act(admin, id, "ACTIVE", "action", "evacuate");
        Response after = instance(id);
        assertNotEquals(hostId, after.path("host"));
        assertEquals((Object) before.path("addresses"), after.path("addresses"));
        assertOneClaim(id);
        assertEquals("evacuation", migrations(id).get(0).get("kind"));
        assertTrue(migrations(id).get(0).get("dest_host") != null);
    }
}
