package io.virga.gateway.flavor;

import static io.virga.gateway.TestApi.as;
import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.fakes.FakeServicesResource;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class FlavorTest {
    @Inject
    FlavorRepository flavors;

    @Test
    void createWithDefaultsShowByIdOrNameAndConflict() {
        String name = TestApi.unique("m1.small");
        String id = asAdmin().body(Map.of("name", name, "vcpus", 2, "ram_mb", 2048, "disk_gb", 20))
                .post("/v1/flavors").then().statusCode(201)
                .header("Location", matchesPattern(".*/v1/flavors/f-[0-9a-z]{12}"))
                .body("kind", equalTo("vm")).body("virt_mode", equalTo("hybrid")).body("ram_mb", equalTo(2048))
                .extract().path("id");
        TestApi.TestProject p = TestApi.newProject("flavors");
        as(p.reader()).get("/v1/flavors/" + id).then().statusCode(200).body("name", equalTo(name))
                .body("disk_gb", equalTo(20));
        as(p.reader()).get("/v1/flavors/" + name).then().statusCode(200).body("id", equalTo(id));
        as(p.reader()).get("/v1/flavors/f-000000000000").then().statusCode(404);
        asAdmin().body(Map.of("name", name, "vcpus", 1, "ram_mb", 64, "disk_gb", 0)).post("/v1/flavors").then()
                .statusCode(409);
        org.junit.jupiter.api.Assertions.assertEquals("hybrid", flavors.findByIdOrName(name).orElseThrow().virtMode());
    }

    @Test
    void extraSpecsTraitsAreStoredAndShown() {
        String name = TestApi.unique("avx");
        String id = asAdmin().body(Map.of("name", name, "vcpus", 1, "ram_mb", 256, "disk_gb", 1, "extra_specs",
                Map.of("trait:HW_CPU_X86_AVX2", "required", "trait:CUSTOM_SLOW_DISK", "forbidden")))
                .post("/v1/flavors").then().statusCode(201)
                .body("extra_specs.'trait:HW_CPU_X86_AVX2'", equalTo("required"))
                .extract().path("id");
        asAdmin().get("/v1/flavors/" + id).then().statusCode(200)
                .body("extra_specs.'trait:HW_CPU_X86_AVX2'", equalTo("required"))
                .body("extra_specs.'trait:CUSTOM_SLOW_DISK'", equalTo("forbidden"))
                .body("extra_specs.size()", equalTo(2));
        org.junit.jupiter.api.Assertions.assertEquals(Map.of("trait:HW_CPU_X86_AVX2", "required",
                "trait:CUSTOM_SLOW_DISK", "forbidden"), flavors.findByIdOrName(id).orElseThrow().extraSpecs());
        // a flavor made without them shows an empty object
        String plain = asAdmin().body(Map.of("name", TestApi.unique("plain"), "vcpus", 1, "ram_mb", 256,
                "disk_gb", 1)).post("/v1/flavors").then().statusCode(201).extract().path("id");
        asAdmin().get("/v1/flavors/" + plain).then().body("extra_specs.size()", equalTo(0));
    }

    @Test
    void containerAndDesktopKinds() {
        asAdmin().body(Map.of("name", TestApi.unique("c"), "vcpus", 1, "ram_mb", 64, "disk_gb", 0,
                "kind", "container", "virt_mode", "para")).post("/v1/flavors").then().statusCode(201)
                .body("kind", equalTo("container")).body("virt_mode", equalTo("para"));
        asAdmin().body(Map.of("name", TestApi.unique("d"), "vcpus", 256, "ram_mb", 4194304, "disk_gb", 65536,
                "kind", "desktop", "virt_mode", "full")).post("/v1/flavors").then().statusCode(201);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"vcpus\": 1, \"ram_mb\": 512, \"disk_gb\": 1}                               | name",
        "{\"name\": \"a b\", \"vcpus\": 1, \"ram_mb\": 512, \"disk_gb\": 1}             | name",
        "{\"name\": \"f\", \"ram_mb\": 512, \"disk_gb\": 1}                             | vcpus",
        "{\"name\": \"f\", \"vcpus\": 0, \"ram_mb\": 512, \"disk_gb\": 1}               | vcpus",
        "{\"name\": \"f\", \"vcpus\": 257, \"ram_mb\": 512, \"disk_gb\": 1}             | vcpus",
        "{\"name\": \"f\", \"vcpus\": \"2\", \"ram_mb\": 512, \"disk_gb\": 1}           | vcpus",
        "{\"name\": \"f\", \"vcpus\": 1.5, \"ram_mb\": 512, \"disk_gb\": 1}             | vcpus",
        "{\"name\": \"f\", \"vcpus\": 1, \"ram_mb\": 63, \"disk_gb\": 1}                | ram_mb",
        "{\"name\": \"f\", \"vcpus\": 1, \"ram_mb\": 4194305, \"disk_gb\": 1}           | ram_mb",
        "{\"name\": \"f\", \"vcpus\": 1, \"ram_mb\": 512}                                | disk_gb",
        "{\"name\": \"f\", \"vcpus\": 1, \"ram_mb\": 512, \"disk_gb\": -1}              | disk_gb",
        "{\"name\": \"f\", \"vcpus\": 1, \"ram_mb\": 512, \"disk_gb\": 65537}           | disk_gb",
        "{\"name\": \"f\", \"vcpus\": 1, \"ram_mb\": 512, \"disk_gb\": 1, \"kind\": \"pod\"}       | kind",
        "{\"name\": \"f\", \"vcpus\": 1, \"ram_mb\": 512, \"disk_gb\": 1, \"virt_mode\": \"pv\"}   | virt_mode",
        "{\"name\": \"f\", \"vcpus\": 1, \"ram_mb\": 512, \"disk_gb\": 1, \"gpus\": 1}           | gpus",
        "{\"name\": \"f\", \"vcpus\": 1, \"ram_mb\": 512, \"disk_gb\": 1, \"extra_specs\": {\"trait:HW_X\": \"maybe\"}}   | extra_specs.trait:HW_X",
        "{\"name\": \"f\", \"vcpus\": 1, \"ram_mb\": 512, \"disk_gb\": 1, \"extra_specs\": {\"trait:hw_x\": \"required\"}} | extra_specs.trait:hw_x",
        "{\"name\": \"f\", \"vcpus\": 1, \"ram_mb\": 512, \"disk_gb\": 1, \"extra_specs\": {\"hw:cpu_policy\": \"dedicated\"}} | extra_specs.hw:cpu_policy",
        "{\"name\": \"f\", \"vcpus\": 1, \"ram_mb\": 512, \"disk_gb\": 1, \"extra_specs\": {\"trait:HW_X\": 1}}         | extra_specs.trait:HW_X",
        "{\"name\": \"f\", \"vcpus\": 1, \"ram_mb\": 512, \"disk_gb\": 1, \"extra_specs\": [\"trait:HW_X\"]}           | extra_specs",
    })
    void invalidFlavorsAre400AndNotStored(String body, String field) {
        int before = asAdmin().get("/v1/flavors?limit=1000").then().extract().path("items.size()");
        asAdmin().body(body).post("/v1/flavors").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://virga.dev/problems/validation"))
                .body("errors[0].field", equalTo(field));
        asAdmin().get("/v1/flavors?limit=1000").then().body("items.size()", equalTo(before));
    }

    @Test
    void listIsPaged() {
        for (int i = 0; i < 3; i++) {
            asAdmin().body(Map.of("name", TestApi.unique("page"), "vcpus", 1, "ram_mb", 128, "disk_gb", 1))
                    .post("/v1/flavors").then().statusCode(201);
        }
        String cursor = asAdmin().get("/v1/flavors?limit=2").then().statusCode(200).body("items.size()", equalTo(2))
                .extract().path("next_cursor");
        asAdmin().queryParam("cursor", cursor).queryParam("limit", 2).get("/v1/flavors").then().statusCode(200);
    }
}
