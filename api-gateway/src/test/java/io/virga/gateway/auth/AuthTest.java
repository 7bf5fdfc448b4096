package io.virga.gateway.auth;

import static io.restassured.RestAssured.given;
import static io.virga.gateway.TestApi.as;
import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.TestApi.TestProject;
import io.virga.gateway.fakes.FakeServicesResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class AuthTest {

    @Test
    void noTokenIs401Problem() {
        given().get("/v1/projects").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401))
                .body("type", equalTo("https://virga.dev/problems/unauthorized"))
                .body("title", equalTo("Unauthorized"));
    }

    @Test
    void unknownTokenIs401() {
        as("vgt_not-a-real-token").get("/v1/flavors").then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", "Basic Zm9vOmJhcg==").get("/v1/flavors").then().statusCode(401);
    }

    @Test
    void publicPathsNeedNoToken() {
        given().get("/v1/health").then().statusCode(200);
        given().get("/openapi").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().redirects().follow(true).get("/docs").then().statusCode(200);
    }

    @Test
    void theDashboardsStaticFilesNeedNoTokenButTheApiItCallsDoes() {
        given().get("/dashboard/").then().statusCode(200).contentType(startsWith("text/html"))
                .body(org.hamcrest.Matchers.containsString("js/app.js"));
        given().get("/dashboard/js/app.js").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.containsString("javascript"));
        given().get("/dashboard/dashboard.css").then().statusCode(200);
        given().get("/v1/hosts").then().statusCode(401).contentType("application/problem+json");
        given().get("/v1/instances").then().statusCode(401);
        given().get("/dashboard/../v1/instances").then().statusCode(401);
        given().get("/dashboard/no-such-file.js").then().statusCode(404);
    }

    @Test
    void readerCannotWrite() {
        TestProject p = TestApi.newProject("reader");
        as(p.reader()).body(Map.of("name", "web")).post("/v1/networks").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("https://virga.dev/problems/forbidden"));
        as(p.reader()).get("/v1/networks").then().statusCode(200);
        as(p.member()).body(Map.of("name", "web")).post("/v1/networks").then().statusCode(201);
    }

    @Test
    void projectAtokenSeesNothingOfProjectB() {
        TestProject a = TestApi.newProject("tenant-a");
        TestProject b = TestApi.newProject("tenant-b");
        String net = as(b.member()).body(Map.of("name", "secret")).post("/v1/networks").then().statusCode(201)
                .extract().path("id");

        as(a.admin()).get("/v1/projects/" + b.id()).then().statusCode(404)
                .body("detail", equalTo("project " + b.id() + " not found"));
        as(a.admin()).get("/v1/projects/" + b.id() + "/quotas").then().statusCode(404);
        as(a.admin()).get("/v1/projects/" + b.id() + "/tokens").then().statusCode(404);
        as(a.admin()).body(Map.of("role", "admin")).post("/v1/projects/" + b.id() + "/tokens").then()
                .statusCode(404);
        as(a.admin()).get("/v1/networks/" + net).then().statusCode(404);
        as(a.admin()).get("/v1/networks/" + net + "?project_id=" + b.id()).then().statusCode(404);
        as(a.admin()).delete("/v1/networks/" + net).then().statusCode(404);
        as(a.admin()).get("/v1/projects").then().statusCode(200).body("items.id", equalTo(java.util.List.of(a.id())));
        // the cloud admin may read it
        asAdmin().get("/v1/networks/" + net + "?project_id=" + b.id()).then().statusCode(200)
                .body("name", equalTo("secret"));
    }

    @Test
    void memberCannotManageTokensButProjectAdminCan() {
        TestProject p = TestApi.newProject("tokens");
        as(p.member()).body(Map.of("role", "reader")).post("/v1/projects/" + p.id() + "/tokens").then()
                .statusCode(403);
        as(p.admin()).body(Map.of("role", "reader", "name", "ci")).post("/v1/projects/" + p.id() + "/tokens")
                .then().statusCode(201).body("token", startsWith("vgt_")).body("role", equalTo("reader"))
                .body("project_id", equalTo(p.id())).body("name", equalTo("ci"));
    }

    @Test
    void projectAdminIsNotCloudAdmin() {
        TestProject p = TestApi.newProject("not-cloud");
        as(p.admin()).body(Map.of("name", TestApi.unique("x"))).post("/v1/projects").then().statusCode(403);
        as(p.admin()).get("/v1/hosts").then().statusCode(403);
        as(p.admin()).body(Map.of("name", "x", "vcpus", 1, "ram_mb", 512, "disk_gb", 1)).post("/v1/flavors").then()
                .statusCode(403);
    }
}
