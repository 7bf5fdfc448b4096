package io.virga.gateway.instance;

import static io.virga.gateway.instance.TestCloud.createBody;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.virga.contracts.scheduler.v1.Claim;
import io.virga.contracts.scheduler.v1.Resources;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.fakes.InstancesTestProfile;
import io.virga.platform.ids.Ids;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/admin/placement/audit}: claims of deleted, failed and unknown consumers are orphans (released
 * only with {@code repair=true}), an instance on a host without a claim and a claim on another host than its
 * instance's are reported and left alone, healthy claims are untouched.
 */
@QuarkusTest
@TestProfile(InstancesTestProfile.class)
class ClaimAuditTest {
    private static final String AUDIT = "/v1/admin/placement/audit";

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

    private String create(String name, String flavor, String status) {
        String id = tenant.post("/v1/instances", createBody(name, flavor, image, network)).then().statusCode(202)
                .extract().path("id");
        tenant.awaitStatus(id, status);
        return id;
    }

    private String hostOf(String id) {
        return tenant.api().get("/v1/instances/" + id).path("host");
    }

    private String anotherHost(String host) {
        return fakes.computes.stream().map(c -> c.hostId()).filter(h -> !h.equals(host)).findFirst().orElseThrow();
    }

    private Claim claim(String consumer, String host) {
        return Claim.newBuilder().setConsumerId(consumer).setHostId(host).setHostName("host")
                .setComputeEndpoint("127.0.0.1:1").setProjectId(tenant.projectId())
                .setResources(Resources.newBuilder().setVcpus(1).setRamMb(512).setDiskGb(2)).build();
    }

    private static Map<String, Map<String, Object>> byId(Response r, String list, String key) {
        List<Map<String, Object>> items = r.path(list);
        return items.stream().collect(Collectors.toMap(m -> (String) m.get(key), m -> m, (a, b) -> a));
    }

    @Test
    void orphansAreReportedThenReleasedOnRepairAndEverythingElseIsLeftAlone() {
        String healthy = create("healthy", small, "ACTIVE");
        String deleted = create("deleted", small, "ACTIVE");
        String deletedHost = hostOf(deleted);
        tenant.api().delete("/v1/instances/" + deleted).then().statusCode(202);
        tenant.awaitStatus(deleted, "DELETED");
        fakes.scheduler.putClaim(claim(deleted, deletedHost));
        String noSim = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        TestCloud.admin().body(Map.of("name", noSim, "vcpus", 1, "ram_mb", 256, "disk_gb", 1,
                "extra_specs", Map.of("trait:COMPUTE_SIM", "forbidden"))).post("/v1/flavors").then().statusCode(201);
        String failed = create("failed", noSim, "ERROR");
        fakes.scheduler.putClaim(claim(failed, deletedHost));
        String ghost = Ids.newId("i");
        fakes.scheduler.putClaim(claim(ghost, deletedHost));
        String ghostMove = Ids.newId("mig");
        fakes.scheduler.putClaim(claim(ghostMove, deletedHost));
        String lost = create("lost", small, "ACTIVE");
        fakes.scheduler.dropClaim(lost);
        String moved = create("moved", small, "ACTIVE");
        String elsewhere = anotherHost(hostOf(moved));
        fakes.scheduler.putClaim(claim(moved, elsewhere));

        Response report = TestCloud.admin().post(AUDIT);
        report.then().statusCode(200).body("repair", equalTo(false)).body("released", equalTo(0));
        Map<String, Map<String, Object>> orphans = byId(report, "orphans", "consumer_id");
        assertEquals("instance deleted", orphans.get(deleted).get("reason"), report.asString());
        assertEquals("instance failed (ERROR without a host)", orphans.get(failed).get("reason"));
        assertEquals("instance does not exist", orphans.get(ghost).get("reason"));
        assertEquals("migration does not exist", orphans.get(ghostMove).get("reason"));
        for (String id : List.of(healthy, lost, moved)) {
            assertFalse(orphans.containsKey(id), id + " is no orphan: " + report.asString());
        }
        assertTrue(orphans.values().stream().noneMatch(o -> (Boolean) o.get("released")));
        Map<String, Map<String, Object>> mismatched = byId(report, "mismatched", "consumer_id");
        assertEquals(elsewhere, mismatched.get(moved).get("host_id"), report.asString());
        Map<String, Map<String, Object>> missing = byId(report, "missing_claims", "instance_id");
        assertEquals(hostOf(lost), missing.get(lost).get("host_id"), report.asString());
        assertFalse(missing.containsKey(healthy));
        for (String id : List.of(deleted, failed, ghost, ghostMove)) {
            assertTrue(fakes.scheduler.claimOf(id).isPresent(), "an audit without repair released " + id);
        }

        Response repaired = TestCloud.admin().queryParam("repair", "true").post(AUDIT);
        repaired.then().statusCode(200).body("repair", equalTo(true));
        Map<String, Map<String, Object>> released = byId(repaired, "orphans", "consumer_id");
        for (String id : List.of(deleted, failed, ghost, ghostMove)) {
            assertEquals(Boolean.TRUE, released.get(id).get("released"), repaired.asString());
            assertTrue(fakes.scheduler.claimOf(id).isEmpty(), "repair left the claim of " + id);
        }
        assertTrue(fakes.scheduler.claimOf(healthy).isPresent());
        assertEquals(elsewhere, fakes.scheduler.claimOf(moved).orElseThrow().getHostId());
        assertTrue(fakes.scheduler.claimOf(lost).isEmpty());

        Response after = TestCloud.admin().post(AUDIT);
        Map<String, Map<String, Object>> left = byId(after, "orphans", "consumer_id");
        for (String id : List.of(deleted, failed, ghost, ghostMove)) {
            assertFalse(left.containsKey(id), after.asString());
        }
        assertTrue(byId(after, "missing_claims", "instance_id").containsKey(lost));
    }

    @Test
    void onlyCloudAdminsMayAuditAndRepairMustBeABoolean() {
        tenant.api().post(AUDIT).then().statusCode(403);
        tenant.api().queryParam("repair", "true").post(AUDIT).then().statusCode(403);
        TestCloud.admin().queryParam("repair", "yes").post(AUDIT).then().statusCode(400)
                .body("errors[0].field", equalTo("repair"));
    }
}
