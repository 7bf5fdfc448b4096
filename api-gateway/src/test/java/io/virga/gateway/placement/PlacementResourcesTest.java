package io.virga.gateway.placement;

import static io.restassured.RestAssured.given;
import static io.virga.gateway.TestApi.as;
import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.TestApi.TestProject;
import io.virga.gateway.fakes.FakeServicesResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** REST shape of /v1/server-groups, /v1/aggregates and /v1/hosts/{id}/actions (scheduler faked over gRPC). */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class PlacementResourcesTest {

    @Test
    void serverGroupsAreProjectScopedAndChecked() {
        TestProject p = TestApi.newProject("sg");
        TestProject other = TestApi.newProject("sg-other");
        String id = as(p.admin()).contentType("application/json")
                .body(Map.of("name", "web", "policy", "anti-affinity")).post("/v1/server-groups")
                .then().statusCode(201).body("policy", equalTo("anti-affinity")).extract().path("id");
        as(p.reader()).get("/v1/server-groups").then().statusCode(200).body("items.id", hasItem(id));
        as(p.reader()).get("/v1/server-groups/" + id).then().statusCode(200).body("name", equalTo("web"));
        as(other.admin()).get("/v1/server-groups/" + id).then().statusCode(404);
        as(p.admin()).contentType("application/json").body(Map.of("name", "x", "policy", "sideways"))
                .post("/v1/server-groups").then().statusCode(400);
        as(p.admin()).contentType("application/json").body(Map.of("name", "x", "policy", "affinity", "color", "red"))
                .post("/v1/server-groups").then().statusCode(400);
        as(p.reader()).contentType("application/json").body(Map.of("name", "x", "policy", "affinity"))
                .post("/v1/server-groups").then().statusCode(403);
        as(p.admin()).delete("/v1/server-groups/" + id).then().statusCode(204);
        as(p.reader()).get("/v1/server-groups/" + id).then().statusCode(404);
    }

    @Test
    void aggregatesAreForCloudAdminsAndUnknownHostsAre404() {
        var h = FakeServicesResource.fakes().scheduler().addHost("agg-node");
        String id = asAdmin().contentType("application/json")
                .body(Map.of("name", "rack-1", "availability_zone", "east", "metadata", Map.of("filter_project_ids", "p1")))
                .post("/v1/aggregates").then().statusCode(201).body("availability_zone", equalTo("east"))
                .extract().path("id");
        asAdmin().contentType("application/json").body(Map.of("host_id", h.getId()))
                .post("/v1/aggregates/" + id + "/hosts").then().statusCode(200).body("hosts", hasItem(h.getId()));
        asAdmin().contentType("application/json").body(Map.of("host_id", "h-000000000000"))
                .post("/v1/aggregates/" + id + "/hosts").then().statusCode(404);
        asAdmin().contentType("application/json").body(Map.of("host_id", h.getId()))
                .post("/v1/aggregates/agg-000000000000/hosts").then().statusCode(404);
        asAdmin().contentType("application/json").body(Map.of("name", "m", "metadata", Map.of("k", 1)))
                .post("/v1/aggregates").then().statusCode(400);
        TestProject p = TestApi.newProject("agg");
        as(p.admin()).get("/v1/aggregates").then().statusCode(403);
        given().get("/v1/aggregates").then().statusCode(401);
    }

    @Test
    void hostActionsNeedAReasonToDisable() {
        var h = FakeServicesResource.fakes().scheduler().addHost("act-node");
        asAdmin().contentType("application/json").body(Map.of("action", "disable"))
                .post("/v1/hosts/" + h.getId() + "/actions").then().statusCode(400);
        asAdmin().contentType("application/json").body(Map.of("action", "disable", "reason", "bad fan"))
                .post("/v1/hosts/" + h.getId() + "/actions").then().statusCode(200)
                .body("enabled", equalTo(false)).body("disabled_reason", equalTo("bad fan"));
        asAdmin().contentType("application/json").body(Map.of("action", "enable"))
                .post("/v1/hosts/" + h.getId() + "/actions").then().statusCode(200).body("enabled", equalTo(true));
        asAdmin().contentType("application/json").body(Map.of("action", "reboot"))
                .post("/v1/hosts/" + h.getId() + "/actions").then().statusCode(400);
        asAdmin().contentType("application/json").body(Map.of("action", "enable"))
                .post("/v1/hosts/h-000000000000/actions").then().statusCode(404);
        TestProject p = TestApi.newProject("act");
        as(p.admin()).contentType("application/json").body(Map.of("action", "enable"))
                .post("/v1/hosts/" + h.getId() + "/actions").then().statusCode(403);
    }
}
