package io.virga.gateway.network;

import static io.virga.gateway.TestApi.as;
import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.TestApi.TestProject;
import io.virga.gateway.fakes.FakeServicesResource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class NetworkPassThroughTest {

    @Test
    void networkLifecycleWithSubnets() {
        TestProject p = TestApi.newProject("net");
        String id = as(p.member()).body(Map.of("name", "web")).post("/v1/networks").then().statusCode(201)
                .header("Location", matchesPattern(".*/v1/networks/n-[0-9a-z]{12}"))
                .body("project_id", equalTo(p.id())).body("shared", equalTo(false)).extract().path("id");
        as(p.member()).body(Map.of("name", "v4", "cidr", "10.0.0.0/24")).post("/v1/networks/" + id + "/subnets")
                .then().statusCode(201).body("cidr", equalTo("10.0.0.0/24")).body("gateway_ip", equalTo("10.0.0.1"))
                .body("network_id", equalTo(id));
        // the service's INVALID_ARGUMENT "cidr: …" becomes a 400 naming the field
        as(p.member()).body(Map.of("name", "again", "cidr", "10.0.0.0/24")).post("/v1/networks/" + id + "/subnets")
                .then().statusCode(400).body("errors[0].field", equalTo("cidr"));
        as(p.reader()).get("/v1/networks/" + id).then().statusCode(200).body("subnets.size()", equalTo(1));
        as(p.reader()).get("/v1/networks").then().statusCode(200).body("items.id", hasItem(id));
        as(p.member()).delete("/v1/networks/" + id).then().statusCode(204);
        as(p.member()).get("/v1/networks/" + id).then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("network " + id + " not found"));
    }

    @Test
    void networkWithPortsCannotBeDeleted() {
        TestProject p = TestApi.newProject("net");
        String id = as(p.member()).body(Map.of("name", "busy")).post("/v1/networks").then().statusCode(201)
                .extract().path("id");
        var port = FakeServicesResource.fakes().network().addPort(p.id(), id, "10.1.0.5", "i-000000000001");
        as(p.member()).delete("/v1/networks/" + id).then().statusCode(409).contentType("application/problem+json");
        as(p.reader()).get("/v1/ports").then().statusCode(200).body("items.id", equalTo(java.util.List.of(port.getId())))
                .body("items[0].ip_address", equalTo("10.1.0.5"));
        as(p.reader()).get("/v1/ports?network_id=" + id).then().body("items.size()", equalTo(1));
        as(p.reader()).get("/v1/ports?device_id=i-other").then().body("items.size()", equalTo(0));
        as(p.reader()).get("/v1/ports/" + port.getId()).then().statusCode(200).body("mac_address",
                equalTo("fa:16:3e:00:00:01"));
        TestProject other = TestApi.newProject("net-other");
        as(other.admin()).get("/v1/ports/" + port.getId()).then().statusCode(404);
    }

    @Test
    void externalNetworksAreForCloudAdminsAndRouterAndFloatingIpInputIsCheckedFirst() {
        TestProject p = TestApi.newProject("net");
        as(p.admin()).body(Map.of("name", "ext", "external", true)).post("/v1/networks").then().statusCode(403);
        as(p.admin()).body(Map.of("name", "ext", "router:external", true)).post("/v1/networks").then()
                .statusCode(403);
        asAdmin().body(Map.of("name", "ext", "external", true)).post("/v1/networks").then().statusCode(201);
        as(p.member()).body(Map.of("name", "r")).post("/v1/routers").then().statusCode(400)
                .body("errors[0].field", equalTo("external_network_id"));
        as(p.member()).body(Map.of()).post("/v1/routers/r-1/interfaces").then().statusCode(400)
                .body("errors[0].field", equalTo("subnet_id"));
        as(p.member()).body(Map.of()).post("/v1/floating-ips").then().statusCode(400)
                .body("errors[0].field", equalTo("floating_network_id"));
        as(p.reader()).body(Map.of("floating_network_id", "n-1")).post("/v1/floating-ips").then().statusCode(403);
        as(p.member()).body(Map.of("port_id", "p-1", "mac", "x")).patch("/v1/floating-ips/fip-1").then()
                .statusCode(400).body("errors[0].field", equalTo("mac"));
        as(p.member()).body(Map.of("port_id", 5)).patch("/v1/floating-ips/fip-1").then().statusCode(400)
                .body("errors[0].field", equalTo("port_id"));
        as(p.member()).header("If-Match", "W/xyz").body(Map.of("port_id", "p-1")).patch("/v1/floating-ips/fip-1")
                .then().statusCode(412);
    }

    @Test
    void sharedNetworksAreForCloudAdmins() {
        TestProject p = TestApi.newProject("net");
        as(p.admin()).body(Map.of("name", "pub", "shared", true)).post("/v1/networks").then().statusCode(403);
        String shared = asAdmin().body(Map.of("name", "public", "shared", true)).post("/v1/networks").then()
                .statusCode(201).body("shared", equalTo(true)).extract().path("id");
        as(p.reader()).get("/v1/networks").then().body("items.id", hasItem(shared));
        as(p.reader()).get("/v1/networks/" + shared).then().statusCode(200);
        as(p.member()).delete("/v1/networks/" + shared).then().statusCode(404);
    }

    @Test
    void listsArePaged() {
        TestProject p = TestApi.newProject("net");
        for (int i = 0; i < 5; i++) {
            as(p.member()).body(Map.of("name", "n" + i)).post("/v1/networks").then().statusCode(201);
        }
        var first = as(p.reader()).get("/v1/networks?limit=2").then().statusCode(200)
                .body("items.size()", equalTo(2)).extract();
        String cursor = first.path("next_cursor");
        var second = as(p.reader()).queryParam("cursor", cursor).get("/v1/networks?limit=2").then()
                .body("items.size()", equalTo(2)).extract();
        as(p.reader()).get("/v1/networks?limit=2").then().body("items.id",
                not(hasItem(second.<String>path("items[0].id"))));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{}                                                  | cidr",
        "{\"name\": 5}                                       | name",
        "{\"name\": \"s\"}                                   | cidr",
        "{\"name\": \"s\", \"cidr\": \"10.0.0.0\"}           | cidr",
        "{\"name\": \"s\", \"cidr\": \"10.0.0.300/24\"}      | cidr",
        "{\"name\": \"s\", \"cidr\": \"10.0.0.0/33\"}        | cidr",
        "{\"name\": \"s\", \"cidr\": \"10.0.0.0/24\", \"gateway_ip\": \"x\"} | gateway_ip",
        "{\"name\": \"s\", \"cidr\": \"10.0.0.0/24\", \"dhcp\": true}        | dhcp",
    })
    void badSubnetsNeverReachTheService(String body, String field) {
        TestProject p = TestApi.newProject("net");
        String id = as(p.member()).body(Map.of("name", "n")).post("/v1/networks").then().statusCode(201)
                .extract().path("id");
        as(p.member()).body(body).post("/v1/networks/" + id + "/subnets").then().statusCode(400)
                .body("errors[0].field", equalTo(field));
        as(p.reader()).get("/v1/networks/" + id).then().body("subnets.size()", equalTo(0));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{}                                   | name",
        "{\"name\": \"\"}                     | name",
        "{\"name\": \"n\", \"shared\": \"yes\"} | shared",
        "{\"name\": \"n\", \"vni\": 5}        | vni",
    })
    void badNetworksAre400(String body, String field) {
        TestProject p = TestApi.newProject("net");
        as(p.member()).body(body).post("/v1/networks").then().statusCode(400).body("errors[0].field",
                equalTo(field));
        as(p.reader()).get("/v1/networks").then().body("items.findAll { it.project_id == '" + p.id() + "' }.size()",
                equalTo(0));
    }
}
