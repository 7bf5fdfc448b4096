package io.virga.gateway.stack;

import static io.virga.gateway.TestApi.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.TestApi.TestProject;
import io.virga.gateway.fakes.FakeServicesResource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/stacks} through the real gateway (real PostgreSQL, network-svc faked over gRPC): plan and
 * apply as an operation, the second plan all no-op, drift after a hand-made delete, a reviewed plan
 * refused once the world changed, destroy, 422 with lines, and the tenant walls.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class StackResourceTest {
    static final String SPEC = """
            variables:
              cidr: 10.9.0.0/24
            resources:
              network:
                web: {name: web}
              subnet:
                v4: {network_id: "${network.web.id}", cidr: "${var.cidr}"}
            outputs:
              network_id: ${network.web.id}
            """;

    private static Response await(String token, String operationPath) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Response r;
        do {
            r = as(token).get(operationPath);
            if (!"RUNNING".equals(r.path("status"))) {
                return r;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("operation still running: " + r.asString());
    }

    private static String applied(String token, String stack, String spec) {
        String location = as(token).body(Map.of("spec", spec)).post("/v1/stacks/" + stack + "/apply").then()
                .statusCode(202).header("Location", startsWith("/v1/operations/op-")).extract().header("Location");
        Response op = await(token, location);
        assertEquals("SUCCEEDED", op.path("status"), op.asString());
        return location;
    }

    @Test
    void planApplyAndTheSecondPlanChangesNothing() {
        TestProject p = TestApi.newProject("stk");
        as(p.member()).body(Map.of("spec", SPEC)).post("/v1/stacks/app/plan").then().statusCode(200)
                .body("summary.create", equalTo(2)).body("resources[1].action", equalTo("create"))
                .body("resources[1].changes.find { it.attribute == 'network_id' }.after",
                        equalTo("(known after apply)"))
                .body("plan_id", startsWith("plan-"));
        String op = applied(p.member(), "app", SPEC);
        as(p.reader()).get(op).then().body("kind", equalTo("stack.apply"))
                .body("steps.name", hasItem("create subnet.v4")).body("steps.status", hasItem("SUCCEEDED"));
        String net = as(p.reader()).get("/v1/stacks/app").then().statusCode(200).body("status", equalTo("APPLIED"))
                .body("resources.size()", equalTo(2)).body("outputs.network_id", startsWith("n-"))
                .extract().path("outputs.network_id");
        as(p.reader()).get("/v1/networks/" + net).then().statusCode(200).body("subnets[0].cidr",
                equalTo("10.9.0.0/24"));
        as(p.member()).body(Map.of("spec", SPEC)).post("/v1/stacks/app/plan").then().statusCode(200)
                .body("summary.no-op", equalTo(2)).body("summary.create", equalTo(0));
        as(p.member()).body(Map.of("spec", SPEC, "variables", Map.of("cidr", "10.8.0.0/24")))
                .post("/v1/stacks/app/plan").then().statusCode(200).body("resources[1].action", equalTo("replace"));
        as(p.reader()).get("/v1/stacks").then().statusCode(200).body("items.name", hasItem("app"));
    }

    @Test
    void tenantWalls() {
        TestProject p = TestApi.newProject("stk");
        TestProject other = TestApi.newProject("stk-other");
        String spec = "resources:\n  network:\n    solo: {name: solo}\n";
        applied(p.member(), "walled", spec);
        as(other.admin()).get("/v1/stacks/walled").then().statusCode(404)
                .contentType("application/problem+json");
        as(other.admin()).delete("/v1/stacks/walled").then().statusCode(404);
        as(p.reader()).body(Map.of("spec", spec)).post("/v1/stacks/walled/apply").then().statusCode(403)
                .contentType("application/problem+json");
        as(p.reader()).delete("/v1/stacks/walled").then().statusCode(403);
        as(p.reader()).get("/v1/stacks/walled").then().statusCode(200);
        as(other.admin()).get("/v1/stacks").then().body("items.size()", equalTo(0));
    }

    @Test
    void anInvalidSpecIs422WithEveryErrorsLineAndPath() {
        TestProject p = TestApi.newProject("stk");
        String bad = "resources:\n  network:\n    web: {name: web, mtu: 9000}\n  subnet:\n"
                + "    s: {network_id: \"${network.gone.id}\", cidr: 10.0.0.0/24}\n";
        as(p.member()).contentType("application/yaml").body(bad.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/v1/stacks/x/plan").then().statusCode(422)
                .contentType("application/problem+json").body("type", equalTo("https://virga.dev/problems/invalid-spec"))
                .body("spec_errors.size()", equalTo(2))
                .body("spec_errors[0].line", equalTo(3)).body("spec_errors[0].path", equalTo("resources.network.web.mtu"))
                .body("spec_errors[1].line", equalTo(5))
                .body("errors[1].field", equalTo("resources.subnet.s.network_id"));
        as(p.member()).body(Map.of("spec", bad)).post("/v1/stacks/x/apply").then().statusCode(422);
        as(p.member()).get("/v1/stacks/x").then().statusCode(404);
        as(p.member()).body(Map.of("spek", bad)).post("/v1/stacks/x/plan").then().statusCode(400)
                .body("errors[0].field", equalTo("spek"));
    }

    @Test
    void driftReviewedPlansAndDestroy() {
        TestProject p = TestApi.newProject("stk");
        String spec = "resources:\n  network:\n    a: {name: a}\n    b: {name: b}\n";
        applied(p.member(), "drift", spec);
        String planId = as(p.member()).body(Map.of("spec", spec)).post("/v1/stacks/drift/plan").then()
                .statusCode(200).body("summary.no-op", equalTo(2)).extract().path("plan_id");
        String a = as(p.reader()).get("/v1/stacks/drift").then().extract()
                .path("resources.find { it.address == 'network.a' }.id");
        as(p.member()).delete("/v1/networks/" + a).then().statusCode(204);
        as(p.member()).body(Map.of("plan_id", planId)).post("/v1/stacks/drift/apply").then().statusCode(409)
                .body("detail", startsWith("the world changed since plan " + planId));
        String fresh = as(p.member()).body(Map.of("spec", spec)).post("/v1/stacks/drift/plan").then()
                .statusCode(200).body("resources[0].action", equalTo("create"))
                .body("resources[0].reason", equalTo("network " + a + " was deleted outside the stack"))
                .extract().path("plan_id");
        String op = as(p.member()).body(Map.of("plan_id", fresh)).post("/v1/stacks/drift/apply").then()
                .statusCode(202).extract().header("Location");
        assertEquals("SUCCEEDED", await(p.member(), op).path("status"));
        as(p.member()).body(Map.of("spec", spec)).post("/v1/stacks/drift/plan").then().body("summary.no-op",
                equalTo(2));
        String destroy = as(p.member()).delete("/v1/stacks/drift").then().statusCode(202)
                .body("summary.delete", equalTo(2)).extract().header("Location");
        Response done = await(p.member(), destroy);
        assertEquals("SUCCEEDED", done.path("status"), done.asString());
        as(p.member()).get("/v1/stacks/drift").then().statusCode(404);
        as(p.member()).get("/v1/networks").then().body("items.size()", equalTo(0));
    }
}
