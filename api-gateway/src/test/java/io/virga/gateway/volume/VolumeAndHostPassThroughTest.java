package io.virga.gateway.volume;

import static io.restassured.RestAssured.given;
import static io.virga.gateway.TestApi.as;
import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.TestApi.TestProject;
import io.virga.gateway.fakes.FakeServicesResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class VolumeAndHostPassThroughTest {

    @Test
    void volumesAreProjectScoped() {
        TestProject p = TestApi.newProject("vol");
        TestProject other = TestApi.newProject("vol-other");
        var v = FakeServicesResource.fakes().storage().addVolume(p.id(), "data", 10);
        as(p.reader()).get("/v1/volumes").then().statusCode(200)
                .body("items.id", equalTo(java.util.List.of(v.getId())))
                .body("items[0].size_gb", equalTo(10)).body("items[0].status", equalTo("AVAILABLE"));
        as(p.reader()).get("/v1/volumes/" + v.getId()).then().statusCode(200).body("name", equalTo("data"));
        as(other.admin()).get("/v1/volumes/" + v.getId()).then().statusCode(404);
        as(other.admin()).get("/v1/volumes").then().body("items.size()", equalTo(0));
    }

    @Test
    void hostsAreForCloudAdmins() {
        var h = FakeServicesResource.fakes().scheduler().addHost("node-1");
        asAdmin().get("/v1/hosts").then().statusCode(200).body("items.id", hasItem(h.getId()));
        asAdmin().get("/v1/hosts/" + h.getId()).then().statusCode(200).body("name", equalTo("node-1"))
                .body("total.vcpus", equalTo(16)).body("used.ram_mb", equalTo(4096))
                .body("cpu_allocation_ratio", equalTo(4.0f)).body("traits", hasItem("HW_CPU_X86_VMX"));
        asAdmin().get("/v1/hosts/h-000000000000").then().statusCode(404);
        TestProject p = TestApi.newProject("hosts");
        as(p.admin()).get("/v1/hosts").then().statusCode(403);
        as(p.admin()).get("/v1/hosts/" + h.getId()).then().statusCode(403);
        given().get("/v1/hosts").then().statusCode(401);
    }

    @Test
    void healthReportsEveryDependency() {
        given().get("/v1/health").then().statusCode(200).body("status", equalTo("ok"))
                .body("services.postgres", equalTo("up")).body("services.kafka", equalTo("up"))
                .body("services.network", equalTo("up")).body("services.storage", equalTo("up"))
                .body("services.scheduler", equalTo("up"));
    }

    @Test
    void openApiDocumentListsTheResources() {
        given().accept("application/json").get("/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/projects"))
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/images/{id}/data"));
    }
}
