package io.virga.gateway.project;

import static io.virga.gateway.TestApi.as;
import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.fakes.FakeServicesResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DELETE /v1/projects/{id}: cloud admin only; 409 with the holdings while it holds anything; then gone. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class ProjectDeleteTest {
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE0aW/H75RkGEW3SikIPCumg3nlmpr3Y1NJToTBw3jc+";

    @Test
    void projectHoldingANetworkIs409ThenDeletedWithTokensAndKeys() {
        TestApi.TestProject p = TestApi.newProject("del");
        as(p.admin()).delete("/v1/projects/" + p.id()).then().statusCode(403);
        String network = as(p.member()).body(Map.of("name", "n1")).post("/v1/networks").then().statusCode(201)
                .extract().path("id");
        asAdmin().delete("/v1/projects/" + p.id()).then().statusCode(409).contentType("application/problem+json")
                .body("holdings.networks", equalTo(1));
        as(p.reader()).get("/v1/projects/" + p.id()).then().statusCode(200);
        as(p.member()).delete("/v1/networks/" + network).then().statusCode(204);
        as(p.member()).body(Map.of("name", "k", "public_key", KEY)).post("/v1/keypairs").then().statusCode(201);
        asAdmin().delete("/v1/projects/" + p.id()).then().statusCode(204);
        as(p.member()).get("/v1/keypairs").then().statusCode(401);
        as(p.admin()).get("/v1/projects/" + p.id()).then().statusCode(401);
        asAdmin().get("/v1/projects/" + p.id()).then().statusCode(404);
        asAdmin().delete("/v1/projects/" + p.id()).then().statusCode(404);
        asAdmin().body(Map.of("role", "member")).post("/v1/projects/" + p.id() + "/tokens").then().statusCode(404);
        // the name is free again
        asAdmin().body(Map.of("name", p.name())).post("/v1/projects").then().statusCode(201);
    }

    @Test
    void systemProjectIsNeverDeletedAndUnknownIs404() {
        String system = asAdmin().get("/v1/projects?limit=1000").then().statusCode(200).extract()
                .path("items.find { it.system }.id");
        asAdmin().delete("/v1/projects/" + system).then().statusCode(409);
        asAdmin().get("/v1/projects/" + system).then().statusCode(200);
        asAdmin().delete("/v1/projects/prj-000000000000").then().statusCode(404);
    }
}
