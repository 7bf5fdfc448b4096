package io.virga.gateway.image;

import static io.restassured.RestAssured.given;
import static io.virga.gateway.TestApi.as;
import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.TestApi.TestProject;
import io.virga.gateway.fakes.FakeServicesResource;
import io.virga.gateway.fakes.FakeStorageService;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class ImagePassThroughTest {

    @Test
    void uploadOfSeveralMebibytesIsStreamedInChunksOfAtMostOneMebibyte() throws Exception {
        TestProject p = TestApi.newProject("img");
        String id = as(p.member()).body(Map.of("name", "debian", "disk_format", "qcow2", "min_disk_gb", 2))
                .post("/v1/images").then().statusCode(201).body("status", equalTo("QUEUED"))
                .body("visibility", equalTo("private")).extract().path("id");
        long size = 7L * 1024 * 1024 + 12_345;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        // generated on the fly: neither the test nor the gateway needs the image whole in memory
        InputStream data = new GeneratedStream(size, 42, sha);
        given().header("Authorization", "Bearer " + p.member()).contentType("application/octet-stream")
                .body(data).put("/v1/images/" + id + "/data").then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("size_bytes", equalTo((int) size))
                .body("sha256", equalTo(HexFormat.of().formatHex(sha.digest())));
        FakeStorageService storage = FakeServicesResource.fakes().storage();
        assertTrue(storage.largestChunk.get(id) <= 1024 * 1024, "chunk " + storage.largestChunk.get(id));
        assertTrue(storage.chunks.get(id) >= 8, "chunks " + storage.chunks.get(id));
        as(p.reader()).get("/v1/images/" + id).then().statusCode(200).body("status", equalTo("ACTIVE"));

        // a second upload is refused by storage (FAILED_PRECONDITION → 409)
        given().header("Authorization", "Bearer " + p.member()).contentType("application/octet-stream")
                .body(new byte[10]).put("/v1/images/" + id + "/data").then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void imagePropertiesArePassedToStorageAndShown() {
        TestProject p = TestApi.newProject("img");
        String id = as(p.member()).body(Map.of("name", "tiny", "disk_format", "qcow2",
                        "properties", Map.of("virt_mode", "full", "os", "busybox")))
                .post("/v1/images").then().statusCode(201)
                .body("properties.virt_mode", equalTo("full")).body("properties.os", equalTo("busybox"))
                .extract().path("id");
        as(p.reader()).get("/v1/images/" + id).then().statusCode(200).body("properties.os", equalTo("busybox"));
        // property values are strings: a number is a 400 naming the field, and no image is made
        as(p.member()).body(Map.of("name", "bad", "disk_format", "qcow2", "properties", Map.of("min_ram_mb", 5)))
                .post("/v1/images").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void storageReceivesDataBeforeTheClientHasSentItAll() throws Exception {
        TestProject p = TestApi.newProject("img");
        String id = as(p.member()).body(Map.of("name", "big", "disk_format", "raw")).post("/v1/images").then()
                .statusCode(201).extract().path("id");
        FakeStorageService storage = FakeServicesResource.fakes().storage();
        storage.chunkDelayMillis = 15; // a slow disk: the gateway must not read ahead into memory
        try {
            long size = 32L * 1024 * 1024;
            GeneratedStream data = new GeneratedStream(size, 7, MessageDigest.getInstance("SHA-256"));
            given().header("Authorization", "Bearer " + p.member()).contentType("application/octet-stream")
                    .body(data).put("/v1/images/" + id + "/data").then().statusCode(200)
                    .body("size_bytes", equalTo((int) size));
            assertTrue(storage.firstChunkAt.get(id) < data.finishedAt,
                    "the first chunk reached storage before the client finished sending: streamed, not buffered");
        } finally {
            storage.chunkDelayMillis = 0;
        }
    }

    @Test
    void uploadNeedsOctetStreamAndAWriter() {
        TestProject p = TestApi.newProject("img");
        String id = as(p.member()).body(Map.of("name", "raw1", "disk_format", "raw")).post("/v1/images").then()
                .statusCode(201).extract().path("id");
        as(p.member()).body("{}").put("/v1/images/" + id + "/data").then().statusCode(415)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer " + p.reader()).contentType("application/octet-stream")
                .body(new byte[10]).put("/v1/images/" + id + "/data").then().statusCode(403);
        TestProject other = TestApi.newProject("img-other");
        given().header("Authorization", "Bearer " + other.member()).contentType("application/octet-stream")
                .body(new byte[10]).put("/v1/images/" + id + "/data").then().statusCode(404);
        as(p.reader()).get("/v1/images/" + id).then().body("status", equalTo("QUEUED"));
    }

    @Test
    void publicImagesAreForCloudAdminsAndVisibleToAll() {
        TestProject p = TestApi.newProject("img");
        as(p.admin()).body(Map.of("name", "pub", "disk_format", "raw", "visibility", "public")).post("/v1/images")
                .then().statusCode(403);
        String pub = asAdmin().body(Map.of("name", "pub", "disk_format", "oci", "visibility", "public"))
                .post("/v1/images").then().statusCode(201).extract().path("id");
        as(p.reader()).get("/v1/images").then().statusCode(200).body("items.id", hasItem(pub));
        as(p.member()).delete("/v1/images/" + pub).then().statusCode(404);
        String own = as(p.member()).body(Map.of("name", "mine", "disk_format", "raw")).post("/v1/images").then()
                .statusCode(201).extract().path("id");
        as(p.member()).delete("/v1/images/" + own).then().statusCode(204);
        as(p.member()).get("/v1/images/" + own).then().statusCode(404);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"disk_format\": \"raw\"}                                           | name",
        "{\"name\": \"i\"}                                                    | disk_format",
        "{\"name\": \"i\", \"disk_format\": \"vmdk\"}                         | disk_format",
        "{\"name\": \"i\", \"disk_format\": \"raw\", \"min_disk_gb\": -1}     | min_disk_gb",
        "{\"name\": \"i\", \"disk_format\": \"raw\", \"min_disk_gb\": \"2\"}  | min_disk_gb",
        "{\"name\": \"i\", \"disk_format\": \"raw\", \"visibility\": \"shared\"} | visibility",
        "{\"name\": \"i\", \"disk_format\": \"raw\", \"url\": \"http://x\"}   | url",
    })
    void badImagesAre400(String body, String field) {
        TestProject p = TestApi.newProject("img");
        as(p.member()).body(body).post("/v1/images").then().statusCode(400).body("errors[0].field", equalTo(field));
        as(p.reader()).get("/v1/images").then().body("items.findAll { it.project_id == '" + p.id() + "' }.size()",
                equalTo(0));
    }

    /** Deterministic pseudo-random bytes of a given length, hashed as they are read. */
    static final class GeneratedStream extends InputStream {
        private final Random random;
        private final MessageDigest sha;
        private long left;
        /** System.nanoTime() when the last byte was handed out. */
        volatile long finishedAt = Long.MAX_VALUE;

        GeneratedStream(long size, long seed, MessageDigest sha) {
            this.left = size;
            this.random = new Random(seed);
            this.sha = sha;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, Math.min(left, 64 * 1024));
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            sha.update(chunk);
            left -= n;
            if (left == 0) {
                finishedAt = System.nanoTime();
            }
            return n;
        }
    }

    @Test
    void generatedStreamIsDeterministic() throws Exception {
        MessageDigest a = MessageDigest.getInstance("SHA-256");
        MessageDigest b = MessageDigest.getInstance("SHA-256");
        new GeneratedStream(100_000, 1, a).readAllBytes();
        new GeneratedStream(100_000, 1, b).readAllBytes();
        assertEquals(HexFormat.of().formatHex(a.digest()), HexFormat.of().formatHex(b.digest()));
    }
}
