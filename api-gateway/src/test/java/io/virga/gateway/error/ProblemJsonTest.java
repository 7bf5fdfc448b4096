package io.virga.gateway.error;

import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.fakes.FakeServicesResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every failure is application/problem+json with type, title, status, detail. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class ProblemJsonTest {

    @Test
    void unknownPathIs404Problem() {
        asAdmin().get("/v1/no-such-thing").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("type", equalTo("https://virga.dev/problems/not-found"))
                .body("title", equalTo("Not found")).body("detail", notNullValue());
    }

    @Test
    void wrongMethodIs405Problem() {
        asAdmin().delete("/v1/flavors").then().statusCode(405).contentType("application/problem+json")
                .body("status", equalTo(405));
    }

    @Test
    void wrongContentTypeIs415Problem() {
        asAdmin().contentType("text/plain").body("name=x").post("/v1/projects").then().statusCode(415)
                .contentType("application/problem+json").body("status", equalTo(415));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"name\": ",
        "not json",
        "[1, 2]",
        "{\"name\": \"a\"} {}",
        "\"just a string\"",
    })
    void malformedJsonIs400Problem(String body) {
        asAdmin().body(body).post("/v1/projects").then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("title", notNullValue()).body("detail", notNullValue());
    }

    @Test
    void emptyBodyIs400() {
        asAdmin().post("/v1/flavors").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void unknownFieldIs400NamingIt() {
        asAdmin().body("{\"name\": \"x\", \"colour\": \"red\"}").post("/v1/networks").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://virga.dev/problems/validation"))
                .body("errors[0].field", equalTo("colour")).body("errors[0].message", equalTo("unknown field"));
    }

    @Test
    void oversizedJsonBodyIs413() {
        String big = "{\"name\": \"" + "x".repeat(1024 * 1024 + 10) + "\"}";
        asAdmin().body(big).post("/v1/projects").then().statusCode(413).contentType("application/problem+json")
                .body("status", equalTo(413));
    }

    @Test
    void metricsAreExposed() {
        io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("virga_gateway"));
    }

    @Test
    void validationListsEveryBadField() {
        asAdmin().body("{\"name\": \"bad name\", \"vcpus\": 0, \"ram_mb\": 1, \"disk_gb\": -1}").post("/v1/flavors")
                .then().statusCode(400).body("errors.size()", equalTo(4))
                .body("errors.field", equalTo(java.util.List.of("name", "vcpus", "ram_mb", "disk_gb")));
    }
}
