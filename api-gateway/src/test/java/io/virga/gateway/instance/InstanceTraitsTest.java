package io.virga.gateway.instance;

import static io.virga.gateway.instance.TestCloud.createBody;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.fakes.InstancesTestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Traits from a flavor's {@code extra_specs} and an image's properties reach the scheduler's claim: a
 * forbidden trait every host has ends the create in ERROR with a NoValidHost fault naming the trait filter;
 * a required trait the hosts have places the instance; contradictions are a 400 before anything is written.
 */
@QuarkusTest
@TestProfile(InstancesTestProfile.class)
class InstanceTraitsTest {
    @Inject
    DataSource ds;

    Fakes fakes;
    TestCloud.Tenant tenant;
    String network;
    String image;

    @BeforeEach
    void setUp() {
        fakes = TestCloud.fakes(ds);
        tenant = TestCloud.newMember();
        network = fakes.network.addNetwork(tenant.projectId(), false, true);
        image = fakes.storage.addImage(tenant.projectId(), "ACTIVE", "qcow2", 1, false);
    }

    private static String flavor(Map<String, String> extraSpecs) {
        String name = "traits-" + UUID.randomUUID().toString().substring(0, 8);
        TestCloud.admin().body(Map.of("name", name, "vcpus", 1, "ram_mb", 256, "disk_gb", 1,
                "extra_specs", extraSpecs)).post("/v1/flavors").then().statusCode(201);
        return name;
    }

    private String createAndAwait(String name, String flavor, String imageId, String status) {
        String id = tenant.post("/v1/instances", createBody(name, flavor, imageId, network)).then().statusCode(202)
                .extract().path("id");
        tenant.awaitStatus(id, status);
        return id;
    }

    @Test
    void aForbiddenTraitEveryHostHasGivesNoValidHostNamingTheTraitFilter() {
        String f = flavor(Map.of("trait:COMPUTE_SIM", "forbidden"));
        String id = createAndAwait("no-sim", f, image, "ERROR");
        Response failed = tenant.api().get("/v1/instances/" + id);
        failed.then().body("task", nullValue()).body("host", nullValue())
                .body("fault.code", equalTo("NoValidHost"))
                .body("fault.message", startsWith("every host has a forbidden trait of COMPUTE_SIM"))
                .body("fault.message", containsString("ForbiddenTraitsFilter rejected 3: forbidden COMPUTE_SIM on 3"
                        + " hosts"));
        assertNothingLeft(id);
    }

    @Test
    void aRequiredImageTraitNoHostHasGivesNoValidHostNamingTheTraitFilter() {
        String gpuImage = fakes.storage.addImage(tenant.projectId(), Map.of("trait:custom_gpu_fast", "required"));
        String id = createAndAwait("gpu", flavor(Map.of()), gpuImage, "ERROR");
        tenant.api().get("/v1/instances/" + id).then().body("fault.code", equalTo("NoValidHost"))
                .body("fault.message", startsWith("no host has the required traits"))
                .body("fault.message", containsString("CUSTOM_GPU_FAST"))
                .body("fault.message", containsString("TraitsFilter rejected 3: missing CUSTOM_GPU_FAST on 3 hosts"));
        assertNothingLeft(id);
    }

    @Test
    void requiredTraitsTheHostsHaveArePlaced() {
        String f = flavor(Map.of("trait:COMPUTE_SNAPSHOT", "required", "trait:CUSTOM_SLOW_DISK", "forbidden"));
        String img = fakes.storage.addImage(tenant.projectId(), Map.of("traits_required", "COMPUTE_SIM"));
        String id = createAndAwait("placed", f, img, "ACTIVE");
        assertTrue(fakes.scheduler.claimOf(id).isPresent());
    }

    @Test
    void aFlavorAndImageContradictingEachOtherIs400AndNothingIsWritten() {
        String f = flavor(Map.of("trait:CUSTOM_GPU", "forbidden"));
        String img = fakes.storage.addImage(tenant.projectId(), Map.of("traits_required", "CUSTOM_GPU"));
        long before = TestCloud.count(ds, "SELECT count(*) FROM instances WHERE project_id = ?", tenant.projectId());
        tenant.post("/v1/instances", createBody("contra", f, img, network)).then().statusCode(400)
                .body("errors[0].field", equalTo("image"))
                .body("errors[0].message", containsString("CUSTOM_GPU"));
        assertEquals(before, TestCloud.count(ds, "SELECT count(*) FROM instances WHERE project_id = ?",
                tenant.projectId()));
        TestCloud.assertUsageZero(ds, tenant.projectId());
    }

    @Test
    void anImageWithABadTraitPropertyIsRefusedAtRegistration() {
        tenant.post("/v1/images", Map.of("name", "bad-traits", "disk_format", "qcow2",
                "properties", Map.of("trait:custom_x", "yes"))).then().statusCode(400)
                .body("errors[0].field", equalTo("properties.trait:custom_x"));
    }

    private void assertNothingLeft(String id) {
        assertTrue(fakes.scheduler.claimOf(id).isEmpty(), "claim of " + id);
        assertEquals(0, fakes.network.portsOf(id).size(), "ports of " + id);
        assertEquals(0, fakes.storage.volumesOf(id).size(), "volumes of " + id);
        TestCloud.assertUsageZero(ds, tenant.projectId());
    }
}
