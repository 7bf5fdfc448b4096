package io.virga.gateway.instance;

import static io.virga.gateway.instance.TestCloud.createBody;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
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
 * A gateway killed in the middle of a resize, a migration and a snapshot.
 * The step in flight is held by an outage of the service it calls (after the
 * earlier steps' side effects: the destination claimed and prepared, the image
 * created); then the workflow's lease is handed to a dead process and expired,
 * as a crash leaves it. The running step is fenced out (it can save nothing)
 * and a runner takes the workflow over and runs the step again. The move ends
 * with one guest and exactly one claim per instance; the snapshot with one image.
 */
@QuarkusTest
@TestProfile(InstancesTestProfile.class)
class MoveCrashTest {
    @Inject
    DataSource ds;

    Fakes fakes;
    TestCloud.Tenant tenant;
    String network;
    String image;
    String small;
    String big;

    @BeforeEach
    void setUp() {
        fakes = TestCloud.fakes(ds);
        fakes.computes.forEach(c -> fakes.scheduler.down(c.hostId(), false));
        tenant = TestCloud.newMember();
        network = fakes.network.addNetwork(tenant.projectId(), false, true);
        image = fakes.storage.addImage(tenant.projectId(), Map.of("kind", "vm"));
        small = TestCloud.flavor("m1.small", 1, 512, 2, "vm");
        big = TestCloud.flavor("m1.big", 2, 1024, 4, "vm");
    }

    private String active(String name) {
        String id = tenant.post("/v1/instances", createBody(name, small, image, network)).then().statusCode(202)
                .extract().path("id");
        tenant.awaitStatus(id, "ACTIVE");
        return id;
    }

    /** Starts the action and waits until its operation is retrying {@code step}. */
    private String startAndHoldAt(String id, Map<String, Object> body, String step) {
        Response accepted = tenant.post("/v1/instances/" + id + "/actions", body);
        accepted.then().statusCode(202);
        String location = accepted.header("Location");
        tenant.await(location, r -> {
            List<String> names = r.path("steps.name");
            return names != null && names.contains(step);
        });
        return location;
    }

    /** What a crash leaves: the workflow leased to a process that is gone, the lease expired. */
    private void crash(String location) {
        String opId = location.substring(location.lastIndexOf('/') + 1);
        try (var c = ds.getConnection(); var ps = c.prepareStatement("UPDATE workflows SET lease_owner = 'gw-dead:1',"
                + " lease_until = now() - interval '1 second' WHERE operation_id = ?")) {
            ps.setString(1, opId);
            assertEquals(1, ps.executeUpdate());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitDone(String location, String status) {
        tenant.await(location, r -> !"RUNNING".equals(r.path("status"))).then().body("status", equalTo(status));
    }

    private long claimsFor(String id) {
        List<String> migrations = TestCloud.admin().queryParam("instance_id", id).get("/v1/migrations")
                .path("items.id");
        return fakes.scheduler.claims().keySet().stream().filter(k -> k.equals(id) || migrations.contains(k))
                .count();
    }

    @Test
    void aResizeWhoseGatewayDiedWhileCopyingTheDiskFinishesAndConfirmsWithOneClaim() {
        String id = active("crash-resize");
        fakes.computes.forEach(c -> c.failures.failAlways("ImportDisk", Status.UNAVAILABLE));
        String op = startAndHoldAt(id, Map.of("action", "resize", "flavor_id", big), "copy_disk");
        crash(op);
        fakes.computes.forEach(c -> c.failures.clear());
        awaitDone(op, "SUCCEEDED");
        tenant.awaitSettled(id).then().body("status", equalTo("VERIFY_RESIZE"));
        assertEquals(2, claimsFor(id), "source and destination claims while it waits");
        assertEquals(2, fakes.guestsOf(id), "the running copy and the stopped one, nothing more");
        InstanceMovesTest.run(tenant, id, "ACTIVE", "action", "confirm-resize");
        assertEquals(1, claimsFor(id));
        assertEquals(1, fakes.guestsOf(id));
        assertEquals(fakes.scheduler.claimOf(id).orElseThrow().getHostId(),
                tenant.api().get("/v1/instances/" + id).path("host"));
    }

    @Test
    void aMigrationWhoseGatewayDiedWhileBootingTheDestinationRevertsWithOneClaim() {
        String id = active("crash-migrate");
        String source = tenant.api().get("/v1/instances/" + id).path("host");
        fakes.computes.forEach(c -> c.failures.failAlways("FinishIncoming", Status.UNAVAILABLE));
        String op = startAndHoldAt(id, Map.of("action", "migrate"), "finish_destination");
        crash(op);
        fakes.computes.forEach(c -> c.failures.clear());
        awaitDone(op, "SUCCEEDED");
        tenant.awaitSettled(id).then().body("status", equalTo("VERIFY_RESIZE"));
        InstanceMovesTest.run(tenant, id, "ACTIVE", "action", "revert-resize");
        assertEquals(1, claimsFor(id));
        assertEquals(source, fakes.scheduler.claimOf(id).orElseThrow().getHostId());
        assertEquals(1, fakes.guestsOf(id));
    }

    @Test
    void aConfirmWhoseGatewayDiedWhileTransferringTheClaimEndsWithOneClaim() {
        String id = active("crash-confirm");
        InstanceMovesTest.run(tenant, id, "VERIFY_RESIZE", "action", "migrate");
        fakes.scheduler.failures.failAlways("TransferClaim", Status.UNAVAILABLE);
        String op = startAndHoldAt(id, Map.of("action", "confirm-resize"), "transfer_claim");
        crash(op);
        fakes.scheduler.failures.clear();
        awaitDone(op, "SUCCEEDED");
        tenant.awaitSettled(id).then().body("status", equalTo("ACTIVE"));
        assertEquals(1, claimsFor(id));
        assertEquals(1, fakes.guestsOf(id));
    }

    @Test
    void aSnapshotWhoseGatewayDiedWhileUploadingMakesOneImage() {
        String id = active("crash-snapshot");
        fakes.storage.failures.failAlways("UploadImageData", Status.UNAVAILABLE);
        String op = startAndHoldAt(id, Map.of("action", "snapshot", "name", "crashed"), "upload");
        crash(op);
        fakes.storage.failures.clear();
        awaitDone(op, "SUCCEEDED");
        tenant.awaitSettled(id).then().body("status", equalTo("ACTIVE"));
        List<Image> made = fakes.storage.imagesOf(tenant.projectId()).stream()
                .filter(i -> id.equals(i.getPropertiesMap().get("instance_id"))).toList();
        assertEquals(1, made.size(), "one image, not one per attempt");
        assertEquals("ACTIVE", made.get(0).getStatus());
        assertTrue(fakes.storage.dataOf(made.get(0).getId()).startsWith("FAKE-DISK " + id));
    }
}
