package io.virga.gateway.auth;

import static io.virga.gateway.TestApi.as;
import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.fakes.FakeServicesResource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Token expiry, revocation and last_used_at. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class TokenLifecycleTest {

    @Test
    void expiringTokenWorksUntilItsExpiryThen401() {
        TestApi.TestProject p = TestApi.newProject("exp");
        Instant expires = Instant.now().plusSeconds(3);
        var created = asAdmin().body(Map.of("role", "member", "expires_at", expires.toString()))
                .post("/v1/projects/" + p.id() + "/tokens").then().statusCode(201)
                .body("expires_at", notNullValue()).extract();
        String secret = created.path("token");
        String id = created.path("id");
        as(secret).get("/v1/flavors").then().statusCode(200);
        // listed with its expiry and a last use; the secret is never shown again
        asAdmin().get("/v1/projects/" + p.id() + "/tokens?limit=1000").then().statusCode(200)
                .body("items.find { it.id == '" + id + "' }.last_used_at", notNullValue())
                .body("items.find { it.id == '" + id + "' }.expires_at", notNullValue())
                .body("items.find { it.id == '" + id + "' }.token", nullValue());
        Instant budget = expires.plus(Duration.ofSeconds(10));
        int status = 200;
        while (status == 200 && Instant.now().isBefore(budget)) {
            status = as(secret).get("/v1/flavors").then().extract().statusCode();
        }
        org.junit.jupiter.api.Assertions.assertEquals(401, status);
        org.junit.jupiter.api.Assertions.assertTrue(!Instant.now().isBefore(expires), "401 before expiry");
    }

    @Test
    void badExpiriesAre400AndMakeNoToken() {
        TestApi.TestProject p = TestApi.newProject("exp");
        int before = asAdmin().get("/v1/projects/" + p.id() + "/tokens?limit=1000").then().extract()
                .path("items.size()");
        for (Object bad : List.of(Instant.now().minusSeconds(60).toString(), "tomorrow", 12)) {
            asAdmin().body(Map.of("role", "member", "expires_at", bad)).post("/v1/projects/" + p.id() + "/tokens")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("expires_at"));
        }
        asAdmin().get("/v1/projects/" + p.id() + "/tokens?limit=1000").then().body("items.size()", equalTo(before));
    }

    @Test
    void revokedTokenIs401AtOnce() {
        TestApi.TestProject p = TestApi.newProject("rev");
        var created = asAdmin().body(Map.of("role", "reader")).post("/v1/projects/" + p.id() + "/tokens").then()
                .statusCode(201).extract();
        String secret = created.path("token");
        as(secret).get("/v1/flavors").then().statusCode(200);
        as(p.member()).delete("/v1/projects/" + p.id() + "/tokens/" + created.path("id")).then().statusCode(403);
        as(p.admin()).delete("/v1/projects/" + p.id() + "/tokens/" + created.path("id")).then().statusCode(204);
        as(secret).get("/v1/flavors").then().statusCode(401);
        as(p.admin()).delete("/v1/projects/" + p.id() + "/tokens/" + created.path("id")).then().statusCode(404);
    }
}
