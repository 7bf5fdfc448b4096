package io.virga.gateway.idempotency;

import static io.virga.gateway.TestApi.as;
import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.TestApi.TestProject;
import io.virga.gateway.fakes.FakeServicesResource;
import io.virga.platform.db.Tx;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class IdempotencyTest {
    @Inject
    Tx tx;

    private static int projectCount() {
        return asAdmin().get("/v1/projects?limit=1000").then().extract().path("items.size()");
    }

    @Test
    void retryReplaysTheFirstAnswerWithoutDoingTheWorkAgain() {
        String key = UUID.randomUUID().toString();
        Map<String, String> body = Map.of("name", TestApi.unique("idem"));
        ExtractableResponse<Response> first = asAdmin().header("Idempotency-Key", key).body(body)
                .post("/v1/projects").then().statusCode(201).extract();
        int count = projectCount();
        ExtractableResponse<Response> again = asAdmin().header("Idempotency-Key", key).body(body)
                .post("/v1/projects").then().statusCode(201).header("Idempotent-Replayed", "true").extract();
        assertEquals(first.header("Location"), again.header("Location"));
        assertEquals(first.<String>path("id"), again.<String>path("id"));
        assertEquals(first.body().asString(), again.body().asString());
        assertEquals(count, projectCount(), "the retry created nothing");
    }

    @Test
    void sameKeyWithADifferentBodyIs422() {
        String key = UUID.randomUUID().toString();
        asAdmin().header("Idempotency-Key", key).body(Map.of("name", TestApi.unique("one"))).post("/v1/projects")
                .then().statusCode(201);
        int count = projectCount();
        asAdmin().header("Idempotency-Key", key).body(Map.of("name", TestApi.unique("two"))).post("/v1/projects")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://virga.dev/problems/idempotency-key-mismatch"));
        assertEquals(count, projectCount());
    }

    @Test
    void aFailedFirstAttemptIsReplayedToo() {
        TestProject p = TestApi.newProject("idem-4xx");
        String key = UUID.randomUUID().toString();
        asAdmin().header("Idempotency-Key", key).body(Map.of("name", p.name())).post("/v1/projects").then()
                .statusCode(409);
        asAdmin().header("Idempotency-Key", key).body(Map.of("name", p.name())).post("/v1/projects").then()
                .statusCode(409).header("Idempotent-Replayed", "true").contentType("application/problem+json")
                .body("status", equalTo(409));
    }

    @Test
    void keysAreScopedPerProject() {
        TestProject a = TestApi.newProject("idem-a");
        TestProject b = TestApi.newProject("idem-b");
        String key = "shared-key-" + UUID.randomUUID();
        String na = as(a.member()).header("Idempotency-Key", key).body(Map.of("name", "net")).post("/v1/networks")
                .then().statusCode(201).extract().path("id");
        String nb = as(b.member()).header("Idempotency-Key", key).body(Map.of("name", "net")).post("/v1/networks")
                .then().statusCode(201).extract().path("id");
        assertNotEquals(na, nb);
        as(b.member()).get("/v1/networks/" + nb).then().statusCode(200).body("project_id", equalTo(b.id()));
    }

    @Test
    void expiredKeysRunAgain() {
        String key = UUID.randomUUID().toString();
        Map<String, String> body = Map.of("name", TestApi.unique("old"));
        String first = asAdmin().header("Idempotency-Key", key).body(body).post("/v1/projects").then()
                .statusCode(201).extract().path("id");
        tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = ?")) {
                ps.setString(1, key);
                return ps.executeUpdate();
            }
        });
        // the work runs again: here the name is now taken, so the new first answer is a 409
        asAdmin().header("Idempotency-Key", key).body(body).post("/v1/projects").then().statusCode(409);
        asAdmin().get("/v1/projects/" + first).then().statusCode(200);
    }

    @Test
    void invalidKeyIs400() {
        asAdmin().header("Idempotency-Key", "x".repeat(256)).body(Map.of("name", TestApi.unique("k")))
                .post("/v1/projects").then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @Test
    void requestsWithoutKeyAreNotRemembered() {
        Map<String, String> body = Map.of("name", TestApi.unique("nokey"));
        asAdmin().body(body).post("/v1/projects").then().statusCode(201);
        asAdmin().body(body).post("/v1/projects").then().statusCode(409);
    }
}
