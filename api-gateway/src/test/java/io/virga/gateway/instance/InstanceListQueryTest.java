package io.virga.gateway.instance;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.fakes.InstancesTestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** GET /v1/instances: filters by name, status and tag, sorting by name or created_at both ways, paged in the database. */
@QuarkusTest
@TestProfile(InstancesTestProfile.class)
class InstanceListQueryTest {
    @Inject
    DataSource ds;

    private static io.restassured.specification.RequestSpecification as(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token).contentType("application/json");
    }

    @Test
    void filtersSortsAndPages() {
        Fakes fakes = TestCloud.fakes(ds);
        TestCloud.Tenant t = TestCloud.newMember();
        String network = fakes.network.addNetwork(t.projectId(), false, true);
        String image = fakes.storage.addImage(t.projectId(), "ACTIVE", "qcow2", 1, false);
        TestCloud.flavor("m1.small", 1, 512, 2, "vm");
        List<String> ids = new ArrayList<>();
        for (String name : List.of("bravo", "alpha", "delta", "charlie")) {
            ids.add(as(t.token()).body(TestCloud.createBody(name, "m1.small", image, network)).post("/v1/instances")
                    .then().statusCode(202).extract().path("id"));
        }
        as(t.token()).body(Map.of("tags", List.of("web", "prod"))).patch("/v1/instances/" + ids.get(0)).then()
                .statusCode(200);
        as(t.token()).body(Map.of("tags", List.of("web"))).patch("/v1/instances/" + ids.get(2)).then().statusCode(200);

        as(t.token()).get("/v1/instances?name=alpha").then().statusCode(200).body("items.size()", equalTo(1))
                .body("items[0].id", equalTo(ids.get(1)));
        as(t.token()).get("/v1/instances?tag=web").then().body("items.name", equalTo(List.of("bravo", "delta")));
        as(t.token()).get("/v1/instances?tag=web&tag=prod").then().body("items.name", equalTo(List.of("bravo")));
        as(t.token()).get("/v1/instances?status=DELETED").then().body("items.size()", equalTo(0));
        as(t.token()).get("/v1/instances").then().body("items.name",
                equalTo(List.of("bravo", "alpha", "delta", "charlie")));
        as(t.token()).get("/v1/instances?sort=-created_at").then().body("items.name",
                equalTo(List.of("charlie", "delta", "alpha", "bravo")));
        assertEquals(List.of("alpha", "bravo", "charlie", "delta"), walk(t.token(), "name"));
        assertEquals(List.of("delta", "charlie", "bravo", "alpha"), walk(t.token(), "-name"));
        assertEquals(List.of("charlie", "delta", "alpha", "bravo"), walk(t.token(), "-created_at"));
        assertEquals(List.of("bravo", "alpha", "delta", "charlie"), walk(t.token(), "created_at"));

        // a cursor of one sort is refused by another; bad parameters name themselves
        String cursor = as(t.token()).get("/v1/instances?sort=name&limit=1").then().extract().path("next_cursor");
        as(t.token()).queryParam("cursor", cursor).get("/v1/instances?sort=-name").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        as(t.token()).queryParam("cursor", cursor).get("/v1/instances").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        as(t.token()).get("/v1/instances?sort=size").then().statusCode(400).body("errors[0].field", equalTo("sort"));
        as(t.token()).get("/v1/instances?status=HAPPY").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
    }

    private static List<String> walk(String token, String sort) {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            var spec = as(token).queryParam("sort", sort).queryParam("limit", 1);
            if (cursor != null) {
                spec = spec.queryParam("cursor", cursor);
            }
            var page = spec.get("/v1/instances").then().statusCode(200).extract();
            names.addAll(page.path("items.name"));
            cursor = page.path("next_cursor");
        } while (cursor != null);
        return names;
    }
}
