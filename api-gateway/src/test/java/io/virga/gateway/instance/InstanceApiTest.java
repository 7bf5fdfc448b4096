package io.virga.gateway.instance;

import static io.virga.gateway.instance.TestCloud.createBody;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.fakes.InstancesTestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The instance REST surface: validation, quota, tenant walls, roles, lists. */
@QuarkusTest
@TestProfile(InstancesTestProfile.class)
class InstanceApiTest {
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
        TestCloud.flavor("m1.small", 1, 512, 2, "vm");
    }

    /** A case: how to change a valid body, and the field the 400 must name. */
    record Case(String why, java.util.function.BiConsumer<Map<String, Object>, Setup> change, String field) {
        @Override
        public String toString() {
            return why;
        }
    }

    /** What a case may use to build its bad body. */
    record Setup(Fakes fakes, String projectId) {
    }

    static Stream<Arguments> invalidCreates() {
        return Stream.of(
                new Case("missing name", (b, s) -> b.remove("name"), "name"),
                new Case("name with spaces", (b, s) -> b.put("name", "no spaces"), "name"),
                new Case("name too long", (b, s) -> b.put("name", "x".repeat(65)), "name"),
                new Case("name not a string", (b, s) -> b.put("name", 42), "name"),
                new Case("unknown flavor", (b, s) -> b.put("flavor", "nope"), "flavor"),
                new Case("missing image", (b, s) -> b.remove("image"), "image"),
                new Case("unknown image", (b, s) -> b.put("image", "img-000000000000"), "image"),
                new Case("image of another project", (b, s) -> b.put("image",
                        s.fakes().storage.addImage("prj-other", "ACTIVE", "qcow2", 0, false)), "image"),
                new Case("image not ACTIVE", (b, s) -> b.put("image",
                        s.fakes().storage.addImage(s.projectId(), "QUEUED", "qcow2", 0, false)), "image"),
                new Case("oci image for a vm flavor", (b, s) -> b.put("image",
                        s.fakes().storage.addImage(s.projectId(), "ACTIVE", "oci", 0, false)), "image"),
                new Case("flavor disk below image minimum", (b, s) -> b.put("image",
                        s.fakes().storage.addImage(s.projectId(), "ACTIVE", "raw", 10, false)), "flavor"),
                new Case("no networks", (b, s) -> b.put("networks", List.of()), "networks"),
                new Case("nine networks", (b, s) -> b.put("networks",
                        java.util.Collections.nCopies(9, Map.of("network", "n-000000000000"))), "networks"),
                new Case("network entry without id", (b, s) -> b.put("networks", List.of(Map.of())),
                        "networks[0].network"),
                new Case("unknown network", (b, s) -> b.put("networks", List.of(Map.of("network", "n-000000000000"))),
                        "networks[0].network"),
                new Case("network of another project", (b, s) -> b.put("networks", List.of(Map.of("network",
                        s.fakes().network.addNetwork("prj-other", false, true)))), "networks[0].network"),
                new Case("network without subnet", (b, s) -> b.put("networks", List.of(Map.of("network",
                        s.fakes().network.addNetwork(s.projectId(), false, false)))), "networks[0].network"),
                new Case("volumes entry without an id", (b, s) -> b.put("volumes", List.of(Map.of("size_gb", 1))),
                        "volumes[0]"),
                new Case("boot_volume with both an id and a size", (b, s) -> b.put("boot_volume",
                        Map.of("volume_id", "v-000000000000", "size_gb", 1)), "boot_volume"),
                new Case("user_data not base64", (b, s) -> b.put("user_data", "%%%"), "user_data"),
                new Case("user_data over 65535 bytes", (b, s) -> b.put("user_data",
                        Base64.getEncoder().encodeToString(new byte[49_200])), "user_data"),
                new Case("unknown field", (b, s) -> b.put("colour", "blue"), "colour")
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCreates")
    void invalidCreateIsA400NamingTheFieldAndChangesNothing(Case c) {
        Map<String, Object> body = new HashMap<>(createBody("ok-name", "m1.small", image, network));
        c.change().accept(body, new Setup(fakes, tenant.projectId()));
        int ports = fakes.network.portCount();
        int volumes = fakes.storage.volumeCount();

        Response r = tenant.post("/v1/instances", body);
        r.then().statusCode(400).contentType(startsWith("application/problem+json"));
        List<String> fields = r.path("errors.field");
        assertTrue(fields.contains(c.field()), c.why() + ": " + r.asString());
        assertNothingCreated(ports, volumes);
    }

    @Test
    void aValidBodyIsAccepted() {
        Map<String, Object> body = new HashMap<>(createBody("ok-name", "m1.small", image, network));
        body.put("user_data", Base64.getEncoder().encodeToString("#cloud-config\n".getBytes()));
        Response r = tenant.post("/v1/instances", body);
        r.then().statusCode(202);
        tenant.awaitStatus(r.path("id"), "ACTIVE");
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheFirstAnswerAndMakesOneInstance() {
        Map<String, Object> body = createBody("once", "m1.small", image, network);
        Response first = tenant.api().header("Idempotency-Key", "create-once").contentType("application/json")
                .body(body).post("/v1/instances");
        first.then().statusCode(202);
        Response again = tenant.api().header("Idempotency-Key", "create-once").contentType("application/json")
                .body(body).post("/v1/instances");
        again.then().statusCode(202);
        assertEquals((String) first.path("id"), again.path("id"));
        assertEquals(first.header("Location"), again.header("Location"));
        assertEquals(1, TestCloud.count(ds, "SELECT count(*) FROM instances WHERE project_id = ?",
                tenant.projectId()));
        tenant.awaitStatus(first.path("id"), "ACTIVE");
    }

    @Test
    void quotaExceededIsA403AndChangesNothing() {
        TestCloud.flavor("q1.big", 32, 1024, 1, "vm"); // 32 vCPUs > the default 20
        int ports = fakes.network.portCount();
        int volumes = fakes.storage.volumeCount();
        Response r = tenant.post("/v1/instances", createBody("too-big", "q1.big", image, network));
        r.then().statusCode(403).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://virga.dev/problems/quota-exceeded"));
        assertTrue(r.<String>path("detail").contains("vcpus"), r.asString());
        assertNothingCreated(ports, volumes);
    }

    @Test
    void anotherProjectCannotSeeOrDeleteTheInstance() {
        Response created = tenant.post("/v1/instances", createBody("private", "m1.small", image, network));
        String id = created.path("id");
        TestCloud.Tenant stranger = TestCloud.newMember();
        stranger.api().get("/v1/instances/" + id).then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
        stranger.api().delete("/v1/instances/" + id).then().statusCode(404);
        stranger.api().get(created.header("Location")).then().statusCode(404);
        stranger.api().get("/v1/instances").then().statusCode(200).body("items.size()", equalTo(0));
        stranger.api().get("/v1/operations").then().statusCode(200).body("items.size()", equalTo(0));
        tenant.awaitStatus(id, "ACTIVE");
        // the cloud admin may read it
        TestCloud.admin().get("/v1/instances/" + id).then().statusCode(200).body("project_id",
                equalTo(tenant.projectId()));
    }

    @Test
    void aReaderMayReadButNotCreateOrDelete() {
        String id = tenant.post("/v1/instances", createBody("read-me", "m1.small", image, network)).path("id");
        String readerToken = TestCloud.admin().body(Map.of("role", "reader", "name", "r"))
                .post("/v1/projects/" + tenant.projectId() + "/tokens").then().statusCode(201).extract().path("token");
        TestCloud.Tenant reader = new TestCloud.Tenant(tenant.projectId(), readerToken);
        reader.api().get("/v1/instances/" + id).then().statusCode(200);
        reader.post("/v1/instances", createBody("nope", "m1.small", image, network)).then().statusCode(403);
        reader.api().delete("/v1/instances/" + id).then().statusCode(403);
        tenant.awaitStatus(id, "ACTIVE");
    }

    @Test
    void unknownInstanceIs404() {
        tenant.api().get("/v1/instances/i-000000000000").then().statusCode(404);
        tenant.api().delete("/v1/instances/i-000000000000").then().statusCode(404);
        tenant.api().get("/v1/operations/op-000000000000").then().statusCode(404);
    }

    @Test
    void listsPageThroughInstancesAndFilterByStatus() {
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            ids.add(tenant.post("/v1/instances", createBody("page-" + n, "m1.small", image, network)).path("id"));
        }
        ids.forEach(id -> tenant.awaitStatus(id, "ACTIVE"));
        Response first = tenant.api().get("/v1/instances?limit=2");
        first.then().statusCode(200).body("items.size()", equalTo(2));
        String cursor = first.path("next_cursor");
        assertNotNull(cursor);
        Response second = tenant.api().queryParam("limit", 2).queryParam("cursor", cursor).get("/v1/instances");
        second.then().statusCode(200).body("items.size()", equalTo(1));
        assertNull(second.path("next_cursor"));
        List<String> seen = new ArrayList<>(first.path("items.id"));
        seen.addAll(second.path("items.id"));
        assertEquals(ids, seen);
        tenant.api().get("/v1/instances?status=active").then().body("items.size()", equalTo(3));
        tenant.api().get("/v1/instances?status=ERROR").then().body("items.size()", equalTo(0));
        tenant.api().get("/v1/instances?status=SLEEPING").then().statusCode(400).body("errors[0].field",
                equalTo("status"));
        tenant.api().get("/v1/instances?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        tenant.api().get("/v1/instances?cursor=garbage").then().statusCode(400).body("errors[0].field",
                equalTo("cursor"));
        Response ops = tenant.api().get("/v1/operations?limit=2");
        ops.then().statusCode(200).body("items.size()", equalTo(2)).body("items[0].kind", equalTo("instance.create"));
        tenant.api().queryParam("cursor", (String) ops.path("next_cursor")).get("/v1/operations")
                .then().statusCode(200).body("items.size()", equalTo(1)).body("next_cursor", equalTo(null));
        // a cloud admin may list another project's; a member may not even learn it exists
        TestCloud.admin().get("/v1/instances?project_id=" + tenant.projectId()).then().statusCode(200)
                .body("items.size()", equalTo(3));
        TestCloud.newMember().api().get("/v1/instances?project_id=" + tenant.projectId()).then().statusCode(404);
    }

    private void assertNothingCreated(int ports, int volumes) {
        assertEquals(0, TestCloud.count(ds, "SELECT count(*) FROM instances WHERE project_id = ?",
                tenant.projectId()));
        assertEquals(0, TestCloud.count(ds, "SELECT count(*) FROM operations WHERE project_id = ?",
                tenant.projectId()));
        TestCloud.assertUsageZero(ds, tenant.projectId());
        assertEquals(ports, fakes.network.portCount());
        assertEquals(volumes, fakes.storage.volumeCount());
    }
}
