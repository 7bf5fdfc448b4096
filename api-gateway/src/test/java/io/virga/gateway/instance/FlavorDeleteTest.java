package io.virga.gateway.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.fakes.InstancesTestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DELETE /v1/flavors/{id}: cloud admin only, 409 while instances use it, 404 after. */
@QuarkusTest
@TestProfile(InstancesTestProfile.class)
class FlavorDeleteTest {
    @Inject
    DataSource ds;

    Fakes fakes;

    @BeforeEach
    void setUp() {
        fakes = TestCloud.fakes(ds);
    }

    private static io.restassured.specification.RequestSpecification as(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token).contentType("application/json");
    }

    @Test
    void flavorInUseIs409ThenDeletable() {
        TestCloud.Tenant t = TestCloud.newMember();
        String name = "del-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        String flavorId = TestCloud.admin().body(Map.of("name", name, "vcpus", 1, "ram_mb", 128, "disk_gb", 1))
                .post("/v1/flavors").then().statusCode(201).extract().path("id");
        String network = fakes.network.addNetwork(t.projectId(), false, true);
        String image = fakes.storage.addImage(t.projectId(), "ACTIVE", "qcow2", 1, false);
        String instance = as(t.token()).body(TestCloud.createBody("vm", name, image, network)).post("/v1/instances")
                .then().statusCode(202).extract().path("id");
        as(t.token()).delete("/v1/flavors/" + flavorId).then().statusCode(403);
        TestCloud.admin().delete("/v1/flavors/" + flavorId).then().statusCode(409)
                .contentType("application/problem+json");
        TestCloud.admin().get("/v1/flavors/" + flavorId).then().statusCode(200);
        as(t.token()).delete("/v1/instances/" + instance).then().statusCode(202);
        awaitStatus(t.token(), instance, "DELETED");
        TestCloud.admin().delete("/v1/flavors/" + name).then().statusCode(204);
        TestCloud.admin().get("/v1/flavors/" + flavorId).then().statusCode(404);
        TestCloud.admin().delete("/v1/flavors/" + flavorId).then().statusCode(404);
        // the DELETED instance still shows the flavor it was built with
        assertEquals(1, TestCloud.count(ds, "SELECT count(*) FROM instances WHERE id = ? AND flavor_id = ?",
                instance, flavorId));
    }

    private static void awaitStatus(String token, String id, String status) {
        Instant end = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(end)) {
            String s = as(token).get("/v1/instances/" + id).then().extract().path("status");
            if (status.equals(s)) {
                return;
            }
            TestCloud.sleep(50);
        }
        throw new AssertionError("instance " + id + " did not reach " + status);
    }
}
