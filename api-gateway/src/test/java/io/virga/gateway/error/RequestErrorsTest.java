package io.virga.gateway.error;

import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.fakes.FakeServicesResource;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The request errors issue 10 found on the landed API: a garbage cursor, malformed JSON, invalid UTF-8 and
 * an overflowing integer are each a 400 problem naming what is wrong; OPTIONS answers the methods that exist.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class RequestErrorsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/instances", "/v1/flavors", "/v1/networks", "/v1/volumes", "/v1/images",
        "/v1/projects", "/v1/operations"})
    void garbageCursorIs400NamingCursor(String list) {
        for (String cursor : new String[] {"garbage", "%25%25%25", "!!", "a2V5", "bzotMQ", "azo"}) {
            asAdmin().urlEncodingEnabled(false).get(list + "?cursor=" + cursor).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://virga.dev/problems/validation"))
                    .body("errors[0].field", equalTo("cursor"));
        }
    }

    @Test
    void instanceCursorMustHoldATimeAndAnId() {
        for (String cursor : new String[] {"azp8", "azp4fHk", "azpub3QtYS10aW1lfGktMQ"}) {
            asAdmin().urlEncodingEnabled(false).get("/v1/instances?cursor=" + cursor).then().statusCode(400)
                    .body("errors[0].field", equalTo("cursor"));
        }
    }

    @Test
    void overflowingIntegerIs400NamingTheField() {
        asAdmin().body("{\"name\": \"big\", \"vcpus\": 9223372036854775808, \"ram_mb\": 512, \"disk_gb\": 1}")
                .post("/v1/flavors").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("vcpus"));
        asAdmin().body("{\"name\": \"big\", \"vcpus\": 1, \"ram_mb\": 99999999999999999999999, \"disk_gb\": 1}")
                .post("/v1/flavors").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("ram_mb"));
    }

    @Test
    void malformedJsonNamesThePosition() {
        for (String path : new String[] {"/v1/flavors", "/v1/instances", "/v1/projects"}) {
            asAdmin().body("{\"name\": \"x\",, }").post(path).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://virga.dev/problems/malformed-request"))
                    .body("detail", containsString("line 1, column"));
        }
    }

    @Test
    void invalidUtf8Is400Problem() {
        byte[] body = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        for (String path : new String[] {"/v1/projects", "/v1/instances"}) {
            asAdmin().body(body).post(path).then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("UTF-8"));
        }
    }

    @Test
    void optionsAllowsOnlyRealMethods() {
        asAdmin().delete("/v1/instances").then().statusCode(405);
        Set<String> allow = allow(asAdmin().options("/v1/instances"));
        Assertions.assertEquals(new TreeSet<>(Set.of("GET", "POST", "HEAD", "OPTIONS")), allow);
        Set<String> one = allow(asAdmin().options("/v1/instances/i-000000000000"));
        Assertions.assertTrue(one.containsAll(Set.of("GET", "PATCH", "DELETE")), one.toString());
        Assertions.assertFalse(one.contains("POST"), one.toString());
        Set<String> flavors = allow(asAdmin().options("/v1/flavors"));
        Assertions.assertFalse(flavors.contains("DELETE"), flavors.toString());
    }

    @Test
    void optionsOfAnUnknownPathIs404AndA405ListsTheRealMethods() {
        asAdmin().options("/v1/no-such-thing").then().statusCode(404).contentType("application/problem+json");
        Set<String> allow = Arrays.stream(asAdmin().delete("/v1/instances").then().statusCode(405)
                .contentType("application/problem+json").extract().header("Allow").split(","))
                .map(String::trim).collect(Collectors.toCollection(TreeSet::new));
        Assertions.assertEquals(new TreeSet<>(Set.of("GET", "POST", "HEAD", "OPTIONS")), allow);
    }

    private static Set<String> allow(Response r) {
        r.then().statusCode(204).header("Allow", not(equalTo(null)));
        return Arrays.stream(r.header("Allow").split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void unusedImportGuard() {
        TestApi.unique("x");
    }
}
