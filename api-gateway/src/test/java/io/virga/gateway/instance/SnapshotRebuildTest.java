package io.virga.gateway.instance;

import static io.virga.gateway.instance.TestCloud.createBody;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.virga.contracts.storage.v1.Image;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.fakes.InstancesTestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshot (the node's disk stream becomes a storage image with the source
 * image's properties; a failure midway deletes the half-made image) and
 * rebuild (new image, same id, ports and addresses; the image is checked
 * before anything changes).
 */
@QuarkusTest
@TestProfile(InstancesTestProfile.class)
class SnapshotRebuildTest {
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
        image = fakes.storage.addImage(tenant.projectId(), Map.of("kind", "vm", "virt_mode", "para",
                "hypervisor_type", "sim", "os", "busybox"));
        small = TestCloud.flavor("m1.small", 1, 512, 2, "vm");
    }

    private String active(String name, String from) {
        String id = tenant.post("/v1/instances", createBody(name, small, from, network)).then().statusCode(202)
                .extract().path("id");
        tenant.awaitStatus(id, "ACTIVE");
        return id;
    }

    private List<Image> snapshots() {
        return fakes.storage.imagesOf(tenant.projectId()).stream()
                .filter(i -> "snapshot".equals(i.getPropertiesMap().get("image_type"))).toList();
    }

    @Test
    void aSnapshotIsAnImageWithTheSourcePropertiesThatBootsAnInstance() {
        String id = active("snap-source", image);
        InstanceActionsTestSupport.stop(tenant, id);
        Response accepted = tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "snapshot",
                "name", "backup-1"));
        accepted.then().statusCode(202).body("task", equalTo("image_snapshot")).body("status", equalTo("STOPPED"));
        Response op = tenant.await(accepted.header("Location"), r -> !"RUNNING".equals(r.path("status")));
        op.then().body("status", equalTo("SUCCEEDED"));
        String snap = op.path("result.image_id");
        tenant.awaitSettled(id).then().body("status", equalTo("STOPPED"));
        Image made = fakes.storage.imagesOf(tenant.projectId()).stream().filter(i -> i.getId().equals(snap))
                .findFirst().orElseThrow();
        assertEquals("ACTIVE", made.getStatus());
        assertEquals("backup-1", made.getName());
        assertEquals("raw", made.getDiskFormat());
        assertEquals("vm", made.getPropertiesMap().get("kind"));
        assertEquals("sim", made.getPropertiesMap().get("hypervisor_type"));
        assertEquals("busybox", made.getPropertiesMap().get("os"));
        assertEquals(id, made.getPropertiesMap().get("instance_id"));
        assertTrue(fakes.storage.dataOf(snap).startsWith("FAKE-DISK " + id), fakes.storage.dataOf(snap));
        String clone = active("from-snapshot", snap);
        tenant.api().get("/v1/instances/" + clone).then().body("image", equalTo(snap));
    }

    @Test
    void aSnapshotFailingMidwayDeletesTheHalfMadeImage() {
        String id = active("snap-fails", image);
        fakes.computes.forEach(c -> c.failures.failAlways("SnapshotMidway", io.grpc.Status.INTERNAL));
        Response accepted = tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "snapshot",
                "name", "doomed"));
        tenant.await(accepted.header("Location"), r -> !"RUNNING".equals(r.path("status")))
                .then().body("status", equalTo("FAILED"));
        tenant.awaitSettled(id).then().body("status", equalTo("ACTIVE"));
        assertEquals(List.of(), snapshots(), "no image left behind");
    }

    @Test
    void rebuildKeepsTheIdAndAddressesAndChangesTheImage() {
        String id = active("rebuilt", image);
        Response before = tenant.api().get("/v1/instances/" + id);
        String other = fakes.storage.addImage(tenant.projectId(), Map.of("kind", "vm"));
        String oldVolume = before.path("volumes[0].id");
        Response after = InstanceMovesTest.run(tenant, id, "ACTIVE", "action", "rebuild", "image_id", other);
        after.then().body("image", equalTo(other)).body("host", equalTo(before.path("host")))
                .body("addresses", equalTo(before.path("addresses")))
                .body("volumes.size()", equalTo(1));
        assertNotEquals(oldVolume, after.path("volumes[0].id"));
        assertEquals(1, fakes.storage.volumesOf(id).size(), "the old boot volume was deleted");
        assertTrue(fakes.compute(before.path("host")).actions().contains("Rebuild " + id + " " + other));
    }

    @Test
    void rebuildChecksTheImageBeforeAnythingChanges() {
        String id = active("rebuild-checked", image);
        String container = fakes.storage.addImage(tenant.projectId(), Map.of("kind", "container"));
        String queued = fakes.storage.addImage(tenant.projectId(), "QUEUED", "qcow2", 1, false);
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "rebuild", "image_id", container)).then()
                .statusCode(400).body("errors[0].field", equalTo("image_id"))
                .body("errors[0].message", containsString("container"));
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "rebuild", "image_id", queued)).then()
                .statusCode(400).body("errors[0].field", equalTo("image_id"));
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "rebuild", "image_id", "img-nosuchimage"))
                .then().statusCode(400).body("errors[0].field", equalTo("image_id"));
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "rebuild")).then().statusCode(400)
                .body("errors[0].field", equalTo("image_id"));
        tenant.api().get("/v1/instances/" + id).then().body("status", equalTo("ACTIVE")).body("image", equalTo(image));
        assertEquals(1, TestCloud.count(ds, "SELECT count(*) FROM operations WHERE resource_id = ?", id));
    }

    @Test
    void snapshotAndRebuildAreRefusedWhereTheStateOrTheHostForbidsThem() {
        String id = active("refused", image);
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "pause")).then().statusCode(202);
        tenant.await("/v1/instances/" + id, r -> "PAUSED".equals(r.path("status")) && r.path("task") == null);
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "rebuild", "image_id", image)).then()
                .statusCode(409).body("current_status", equalTo("PAUSED"))
                .body("allowed_statuses", equalTo(List.of("ACTIVE", "STOPPED", "ERROR")));
        java.util.Set<String> fewer = new java.util.HashSet<>(io.virga.gateway.instance.fakes.FakeCompute.ALL_TRAITS);
        fewer.remove("COMPUTE_SNAPSHOT");
        fakes.compute(tenant.api().get("/v1/instances/" + id).path("host")).capabilities(fewer);
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "snapshot", "name", "x")).then()
                .statusCode(409).body("detail", containsString("COMPUTE_SNAPSHOT"));
        assertEquals(List.of(), snapshots());
    }
}
