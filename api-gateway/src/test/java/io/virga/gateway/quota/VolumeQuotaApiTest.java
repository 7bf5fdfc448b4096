package io.virga.gateway.quota;

import static io.virga.gateway.TestApi.as;
import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.TestApi.TestProject;
import io.virga.gateway.fakes.FakeServicesResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Block storage quotas (kept and enforced by storage-svc) through the gateway's quota API and
 * /v1/usage, and the admin-only reset-state action on volumes.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class VolumeQuotaApiTest {

    @Test
    void storageLimitsAndUsageAreShownBesideTheComputeOnesAndAdminsSetThem() {
        TestProject p = TestApi.newProject("vquota");
        FakeServicesResource.fakes().storage().addVolume(p.id(), "data", 7);
        as(p.reader()).get("/v1/usage").then().statusCode(200)
                .body("limits.instances", equalTo(10)).body("limits.volumes", equalTo(10))
                .body("limits.gigabytes", equalTo(1000)).body("limits.snapshots", equalTo(10))
                .body("usage.volumes", equalTo(1)).body("usage.gigabytes", equalTo(7));
        asAdmin().body(Map.of("volumes", 3, "gigabytes", -1)).put("/v1/projects/" + p.id() + "/quotas").then()
                .statusCode(200).body("limits.volumes", equalTo(3)).body("limits.gigabytes", equalTo(-1))
                .body("limits.instances", equalTo(10));
        asAdmin().body(Map.of("instances", 4, "snapshots", 2)).put("/v1/projects/" + p.id() + "/quotas").then()
                .statusCode(200).body("limits.instances", equalTo(4)).body("limits.snapshots", equalTo(2))
                .body("limits.volumes", equalTo(3));
        as(p.admin()).get("/v1/projects/" + p.id() + "/quotas").then().statusCode(200)
                .body("limits.volumes", equalTo(3)).body("usage.gigabytes", equalTo(7));
    }

    @Test
    void badStorageLimitsAre400AndOnlyCloudAdminsSetThem() {
        TestProject p = TestApi.newProject("vquota");
        asAdmin().body(Map.of("volumes", -2)).put("/v1/projects/" + p.id() + "/quotas").then().statusCode(400)
                .body("errors[0].field", equalTo("volumes"));
        asAdmin().body(Map.of("gigabytes", 1.5)).put("/v1/projects/" + p.id() + "/quotas").then().statusCode(400);
        as(p.admin()).body(Map.of("volumes", 100)).put("/v1/projects/" + p.id() + "/quotas").then().statusCode(403);
        as(p.reader()).get("/v1/usage").then().body("limits.volumes", equalTo(10));
    }

    @Test
    void resetStateIsForCloudAdminsOnly() {
        TestProject p = TestApi.newProject("vreset");
        String id = FakeServicesResource.fakes().storage().addVolume(p.id(), "stuck", 1).getId();
        Map<String, Object> body = Map.of("action", "reset-state", "status", "available");
        as(p.admin()).body(body).post("/v1/volumes/" + id + "/actions").then().statusCode(403);
        as(p.reader()).body(body).post("/v1/volumes/" + id + "/actions").then().statusCode(403);
        asAdmin().body(Map.of("action", "reset-state", "status", "in-use"))
                .post("/v1/volumes/" + id + "/actions?project_id=" + p.id()).then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        asAdmin().body(Map.of("action", "reset-state", "status", "error"))
                .post("/v1/volumes/" + id + "/actions?project_id=" + p.id()).then().statusCode(200)
                .body("status", equalTo("ERROR"));
        asAdmin().body(body).post("/v1/volumes/v-000000000000/actions?project_id=" + p.id()).then().statusCode(404);
    }
}
