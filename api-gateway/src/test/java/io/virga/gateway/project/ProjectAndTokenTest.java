package io.virga.gateway.project;

import static io.restassured.RestAssured.given;
import static io.virga.gateway.TestApi.as;
import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.TestApi.TestProject;
import io.virga.gateway.fakes.FakeServicesResource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class ProjectAndTokenTest {

    @Test
    void createShowAndConflictOnName() {
        String name = TestApi.unique("acme");
        String id = asAdmin().body(Map.of("name", name)).post("/v1/projects").then().statusCode(201)
                .header("Location", matchesPattern(".*/v1/projects/prj-[0-9a-z]{12}"))
                .extract().path("id");
        asAdmin().get("/v1/projects/" + id).then().statusCode(200).body("name", equalTo(name))
                .body("id", matchesPattern("prj-[0-9a-z]{12}")).body("system", equalTo(false));
        asAdmin().body(Map.of("name", name)).post("/v1/projects").then().statusCode(409)
                .contentType("application/problem+json");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{}                          | name",
        "{\"name\": \"\"}            | name",
        "{\"name\": \"has space\"}   | name",
        "{\"name\": \"-leading\"}    | name",
        "{\"name\": 42}              | name",
        "{\"name\": \"ok\", \"x\": 1} | x",
    })
    void invalidProjectsAre400WithTheField(String body, String field) {
        int before = asAdmin().get("/v1/projects?limit=1000").then().extract().path("items.size()");
        asAdmin().body(body).post("/v1/projects").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo(field));
        asAdmin().get("/v1/projects?limit=1000").then().body("items.size()", equalTo(before));
    }

    @Test
    void listingIsPagedAndScoped() {
        TestProject p = TestApi.newProject("list");
        TestApi.newProject("list");
        TestApi.newProject("list");
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            var spec = asAdmin().queryParam("limit", 2);
            if (cursor != null) {
                spec.queryParam("cursor", cursor);
            }
            ValidatableResponse r = spec.get("/v1/projects").then().statusCode(200);
            List<String> ids = r.extract().path("items.id");
            for (String id : ids) {
                if (!seen.add(id)) {
                    throw new AssertionError("duplicate " + id);
                }
            }
            cursor = r.extract().path("next_cursor");
            pages++;
        } while (cursor != null);
        org.junit.jupiter.api.Assertions.assertTrue(seen.size() >= 4 && pages >= 2, seen + " in " + pages);
        org.junit.jupiter.api.Assertions.assertTrue(seen.contains(p.id()));
        as(p.reader()).get("/v1/projects").then().statusCode(200).body("items.id", equalTo(List.of(p.id())))
                .body("next_cursor", nullValue());
        as(p.reader()).get("/v1/projects/" + p.id()).then().statusCode(200);
        asAdmin().get("/v1/projects?cursor=garbage!").then().statusCode(400).body("errors[0].field",
                equalTo("cursor"));
        asAdmin().get("/v1/projects?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
    }

    @Test
    void tokensAreShownOnceListedWithoutSecretsAndRevocable() {
        TestProject p = TestApi.newProject("tok");
        var created = asAdmin().body(Map.of("role", "member", "name", "deploy"))
                .post("/v1/projects/" + p.id() + "/tokens").then().statusCode(201)
                .body("id", matchesPattern("t-[0-9a-z]{12}")).body("role", equalTo("member"))
                .extract();
        String id = created.path("id");
        String secret = created.path("token");
        as(secret).get("/v1/usage").then().statusCode(200);

        as(p.admin()).get("/v1/projects/" + p.id() + "/tokens").then().statusCode(200)
                .body("items.id", hasItem(id)).body("items.token", not(hasItem(secret)))
                .body("items[0]", not(org.hamcrest.Matchers.hasKey("token")));

        as(p.admin()).delete("/v1/projects/" + p.id() + "/tokens/" + id).then().statusCode(204);
        as(secret).get("/v1/usage").then().statusCode(401);
        as(p.admin()).delete("/v1/projects/" + p.id() + "/tokens/" + id).then().statusCode(404);
        as(p.admin()).get("/v1/projects/" + p.id() + "/tokens").then().body("items.id", not(hasItem(id)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{}                                   | role",
        "{\"role\": \"owner\"}                | role",
        "{\"role\": \"ADMIN \"}               | role",
        "{\"role\": 1}                        | role",
        "{\"role\": \"reader\", \"name\": \"\"} | name",
        "{\"role\": \"reader\", \"ttl\": 5}   | ttl",
    })
    void invalidTokensAre400(String body, String field) {
        TestProject p = TestApi.newProject("badtok");
        asAdmin().body(body).post("/v1/projects/" + p.id() + "/tokens").then().statusCode(400)
                .body("errors[0].field", equalTo(field));
    }

    @Test
    void tokenForMissingProjectIs404() {
        asAdmin().body(Map.of("role", "admin")).post("/v1/projects/prj-000000000000/tokens").then()
                .statusCode(404);
        asAdmin().get("/v1/projects/prj-000000000000").then().statusCode(404)
                .body("detail", equalTo("project prj-000000000000 not found"));
    }

    @Test
    void noTokenNoProjects() {
        given().contentType("application/json").body(Map.of("name", "x")).post("/v1/projects").then()
                .statusCode(401);
    }
}
