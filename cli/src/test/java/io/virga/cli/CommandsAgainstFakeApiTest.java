package io.virga.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.cli.FakeApi.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against canned API answers (a loopback HTTP server): which requests it sends, how it prints
 * the answers, and how it maps problem+json errors to one line and exit code 1.
 */
class CommandsAgainstFakeApiTest {
    private static final String INSTANCE = "{\"id\":\"i-1\",\"name\":\"web-1\",\"status\":\"%s\",\"task\":%s,"
            + "\"flavor\":{\"id\":\"f-1\",\"name\":\"m1.small\"},\"host_name\":%s,"
            + "\"addresses\":[{\"network\":\"n-1\",\"ip\":\"10.0.0.5\"}],\"fault\":%s}";

    private FakeApi api;

    @BeforeEach
    void start() throws Exception {
        api = new FakeApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static String instance(String status, String task, String host, String fault) {
        return String.format(INSTANCE, status, task == null ? "null" : "\"" + task + "\"",
                host == null ? "null" : "\"" + host + "\"", fault == null ? "null" : fault);
    }

    @Test
    void listFollowsTheCursorAndPrintsATable() {
        api.onJson("GET /v1/flavors", 200, "{\"items\":[{\"id\":\"f-1\",\"name\":\"m1.small\",\"vcpus\":1,"
                + "\"ram_mb\":512,\"disk_gb\":1,\"kind\":\"vm\",\"virt_mode\":\"hybrid\"}],\"next_cursor\":\"c2\"}");
        api.onJson("GET /v1/flavors?cursor=c2", 200, "{\"items\":[{\"id\":\"f-2\",\"name\":\"m1.large\",\"vcpus\":4,"
                + "\"ram_mb\":8192,\"disk_gb\":40,\"kind\":\"vm\",\"virt_mode\":\"full\"}],\"next_cursor\":null}");
        Run r = Run.against(api, "flavor", "list");
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                ID   NAME      VCPUS  RAM_MB  DISK_GB  KIND  VIRT_MODE
                f-1  m1.small  1      512     1        vm    hybrid
                f-2  m1.large  4      8192    40       vm    full
                """, r.out());
        assertEquals("Bearer t-test", api.requests.get(0).authorization());
    }

    @Test
    void listAsJsonIsTheItemsArray() throws Exception {
        api.onJson("GET /v1/instances?status=ACTIVE", 200, "{\"items\":[" + instance("ACTIVE", null, "host-3", null)
                + "],\"next_cursor\":null}");
        Run r = Run.against(api, "instance", "list", "--status", "ACTIVE", "-o", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode items = VirgaCli.JSON.readTree(r.out());
        assertEquals(1, items.size());
        assertEquals("10.0.0.5", items.get(0).path("addresses").get(0).path("ip").asText());
    }

    @Test
    void createResolvesNamesSendsSnakeCaseAndWaitsWithProgressUntilActive() throws Exception {
        api.onJson("GET /v1/images", 200, "{\"items\":[{\"id\":\"img-7\",\"name\":\"tiny\"}],\"next_cursor\":null}");
        api.onJson("GET /v1/networks", 200, "{\"items\":[{\"id\":\"n-1\",\"name\":\"public\"}],\"next_cursor\":null}");
        api.on("POST /v1/instances", new Answer(202, "application/json", instance("BUILDING", "scheduling", null, null),
                Map.of("Location", "/v1/operations/op-1")));
        api.on("GET /v1/instances/i-1", Answer.json(200, instance("BUILDING", "scheduling", null, null)),
                Answer.json(200, instance("BUILDING", "spawning", "host-3", null)),
                Answer.json(200, instance("ACTIVE", null, "host-3", null)));
        Run r = Run.against(api, "instance", "create", "web-1", "--flavor", "m1.small", "--image", "tiny",
                "--network", "public", "--wait", "-o", "yaml");
        assertEquals(0, r.code(), r.err());
        FakeApi.Request post = api.requests.stream().filter(q -> q.method().equals("POST")).findFirst().orElseThrow();
        assertEquals(VirgaCli.JSON.readTree("{\"name\":\"web-1\",\"flavor\":\"m1.small\",\"image\":\"img-7\","
                + "\"networks\":[{\"network\":\"n-1\"}]}"), VirgaCli.JSON.readTree(post.body()));
        assertEquals("application/json", post.contentType());
        assertTrue(r.err().contains("waiting for instance i-1: BUILDING (scheduling)"), r.err());
        assertTrue(r.err().contains("waiting for instance i-1: BUILDING (spawning)"), r.err());
        assertTrue(r.err().contains("instance i-1 is ACTIVE after"), r.err());
        assertTrue(r.out().contains("status: ACTIVE"), r.out());
    }

    @Test
    void aWaitThatEndsInErrorPrintsTheFaultAndExitsOne() {
        api.on("POST /v1/instances", Answer.json(202, instance("BUILDING", "scheduling", null, null)));
        api.on("GET /v1/instances/i-1", Answer.json(200, instance("ERROR", null, null,
                "{\"message\":\"no host has 64 GiB free RAM\",\"code\":\"NoValidHost\"}")));
        Run r = Run.against(api, "instance", "create", "web-1", "--flavor", "r1.huge", "--image", "img-1",
                "--network", "n-1", "--wait");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("virga: instance i-1 is ERROR: no host has 64 GiB free RAM [NoValidHost]"),
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void aValidationProblemIsOneLineWithEveryFieldAndExitOne() {
        api.on("POST /v1/instances", Answer.problem(400, "{\"type\":\"https://virga.dev/problems/validation\","
                + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"flavor: no flavor m1.nope (and 1 more)\","
                + "\"errors\":[{\"field\":\"flavor\",\"message\":\"no flavor m1.nope\"},"
                + "{\"field\":\"image\",\"message\":\"image img-9 not found\"}]}"));
        Run r = Run.against(api, "instance", "create", "web-1", "--flavor", "m1.nope", "--image", "img-9",
                "--network", "n-1");
        assertEquals(1, r.code());
        assertEquals("virga: error 400 Invalid request: flavor: no flavor m1.nope; image: image img-9 not found\n",
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void aConflictNamesTheCurrentAndAllowedStates() {
        api.on("POST /v1/instances/i-1/actions", Answer.problem(409, "{\"title\":\"Conflict\",\"status\":409,"
                + "\"detail\":\"cannot start an ACTIVE instance\",\"current_status\":\"ACTIVE\","
                + "\"allowed_statuses\":[\"STOPPED\"]}"));
        Run r = Run.against(api, "instance", "start", "i-1");
        assertEquals(1, r.code());
        assertEquals("virga: error 409 Conflict: cannot start an ACTIVE instance (current status ACTIVE, allowed in "
                + "STOPPED)\n", r.err());
    }

    @Test
    void aConflictWhoseDetailNamesTheStatesAlreadyIsNotRepeated() {
        api.on("POST /v1/instances/i-1/actions", Answer.problem(409, "{\"title\":\"Conflict\",\"status\":409,"
                + "\"detail\":\"instance i-1 is ACTIVE; start is allowed from STOPPED\",\"current_status\":\"ACTIVE\","
                + "\"allowed_statuses\":[\"STOPPED\"]}"));
        Run r = Run.against(api, "instance", "start", "i-1");
        assertEquals(1, r.code());
        assertEquals("virga: error 409 Conflict: instance i-1 is ACTIVE; start is allowed from STOPPED\n", r.err());
    }

    @Test
    void unauthorizedSaysWhereTheTokenComesFrom() {
        api.on("GET /v1/hosts", Answer.problem(401, "{\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"unknown token\"}"));
        Run r = Run.against(api, "host", "list");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("virga: error 401 Unauthorized: unknown token (check --token"), r.err());
    }

    @Test
    void aNonJsonErrorStillGivesStatusAndText() {
        api.on("GET /v1/projects", new Answer(502, "text/plain", "upstream gone\nmore", Map.of()));
        Run r = Run.against(api, "project", "list");
        assertEquals(1, r.code());
        assertEquals("virga: error 502 Bad gateway: upstream gone\n", r.err());
    }

    @Test
    void anUnknownNameIsAClearErrorAndNothingIsCreated() {
        api.onJson("GET /v1/networks", 200, "{\"items\":[{\"id\":\"n-1\",\"name\":\"public\"}],\"next_cursor\":null}");
        Run r = Run.against(api, "subnet", "create", "--network", "privat", "--cidr", "10.1.0.0/24");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no network named 'privat'"), r.err());
        assertFalse(api.requests.stream().anyMatch(q -> q.method().equals("POST")), "nothing was posted");
    }

    @Test
    void anActionWithWaitFollowsItsOperationAndShowsTheInstance() {
        api.on("POST /v1/instances/i-1/actions", new Answer(202, "application/json",
                instance("ACTIVE", "powering-off", "host-3", null), Map.of("Location", "/v1/operations/op-5")));
        api.on("GET /v1/operations/op-5",
                Answer.json(200, "{\"id\":\"op-5\",\"kind\":\"instance.stop\",\"status\":\"RUNNING\",\"steps\":"
                        + "[{\"name\":\"power-off\",\"status\":\"RUNNING\"}]}"),
                Answer.json(200, "{\"id\":\"op-5\",\"kind\":\"instance.stop\",\"status\":\"SUCCEEDED\",\"steps\":[]}"));
        api.on("GET /v1/instances/i-1", Answer.json(200, instance("STOPPED", null, "host-3", null)));
        Run r = Run.against(api, "instance", "stop", "i-1", "--grace", "0", "--wait");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"action\":\"stop\",\"grace_seconds\":0}", api.requests.get(0).body());
        assertTrue(r.err().contains("waiting for operation op-5: RUNNING (power-off)"), r.err());
        assertTrue(r.out().contains("status     STOPPED"), r.out());
    }

    @Test
    void aFailedOperationExitsOneWithItsFault() {
        api.on("POST /v1/instances/i-1/volume-attachments", new Answer(202, "application/json",
                "{\"instance_id\":\"i-1\",\"volume_id\":\"v-1\",\"status\":\"ATTACHING\",\"operation_id\":\"op-9\"}",
                Map.of("Location", "/v1/operations/op-9")));
        api.on("GET /v1/operations/op-9", Answer.json(200, "{\"id\":\"op-9\",\"kind\":\"volume.attach\","
                + "\"status\":\"FAILED\",\"fault\":{\"message\":\"host refused the disk\",\"code\":\"StepRefused\"}}"));
        Run r = Run.against(api, "volume", "attach", "v-1", "--instance", "i-1", "--wait");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("virga: operation op-9 (volume.attach) FAILED: host refused the disk "
                + "[StepRefused]"), r.err());
    }

    @Test
    void imageCreateWithFileRegistersThenStreamsTheBytes(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("disk.raw"), new byte[4096]);
        api.on("POST /v1/images", Answer.json(201, "{\"id\":\"img-1\",\"name\":\"tiny\",\"status\":\"QUEUED\"}"));
        api.on("PUT /v1/images/img-1/data", Answer.json(200, "{\"id\":\"img-1\",\"name\":\"tiny\","
                + "\"status\":\"ACTIVE\",\"size_bytes\":4096}"));
        Run r = Run.against(api, "image", "create", "tiny", "--disk-format", "raw", "--property", "virt_mode=para",
                "--file", file.toString(), "-o", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals(VirgaCli.JSON.readTree("{\"name\":\"tiny\",\"disk_format\":\"raw\","
                + "\"properties\":{\"virt_mode\":\"para\"}}"), VirgaCli.JSON.readTree(api.requests.get(0).body()));
        assertEquals("application/octet-stream", api.requests.get(1).contentType());
        assertEquals(4096, api.requests.get(1).body().length());
        assertEquals("ACTIVE", VirgaCli.JSON.readTree(r.out()).path("status").asText());
    }

    @Test
    void tokenCreateResolvesTheProjectByNameAndShowsTheSecret() {
        api.onJson("GET /v1/projects", 200, "{\"items\":[{\"id\":\"prj-1\",\"name\":\"acme\"}],\"next_cursor\":null}");
        api.on("POST /v1/projects/prj-1/tokens", Answer.json(201, "{\"id\":\"t-1\",\"token\":\"s3cret\","
                + "\"role\":\"member\",\"project_id\":\"prj-1\",\"name\":null}"));
        Run r = Run.against(api, "token", "create", "--project", "acme", "--role", "member");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("token       s3cret"), r.out());
        assertEquals("{\"role\":\"member\"}", api.requests.get(1).body());
    }

    @Test
    void anUnreachableApiIsOneLineAndExitOne() {
        api.close();
        Run r = Run.against(api, "network", "list");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("virga: cannot reach the Virga API at " + api.url()), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
