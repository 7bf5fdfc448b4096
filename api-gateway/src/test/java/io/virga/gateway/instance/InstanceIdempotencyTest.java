package io.virga.gateway.instance;

import static io.virga.gateway.instance.TestCloud.createBody;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.Role;
import io.virga.gateway.idempotency.IdempotencyStore;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.fakes.InstancesTestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idempotency-Key on POST /v1/instances: the key's answer commits in the same
 * transaction as the instance, its operation and its workflow, so that a
 * gateway dying between the work and the answer never builds twice, and a
 * retry is answered at once (no in-progress claim outlives a dead gateway).
 */
@QuarkusTest
@TestProfile(InstancesTestProfile.class)
class InstanceIdempotencyTest {
    @Inject
    DataSource ds;
    @Inject
    InstanceService service;
    @Inject
    IdempotencyStore store;
    @Inject
    ObjectMapper json;

    Fakes fakes;
    TestCloud.Tenant tenant;
    String network;
    String image;
    String small;

    @BeforeEach
    void setUp() {
        fakes = TestCloud.fakes(ds);
        tenant = TestCloud.newMember();
        network = fakes.network.addNetwork(tenant.projectId(), false, true);
        image = fakes.storage.addImage(tenant.projectId(), "ACTIVE", "qcow2", 1, false);
        small = TestCloud.flavor("m1.small", 1, 512, 2, "vm");
    }

    /**
     * The request's work committed (with its answer) and the gateway died before
     * answering: the retry after the "restart" replays the committed answer at once.
     */
    @Test
    void aCreateWhoseAnswerWasLostIsReplayedByTheRetryAndBuiltOnce() throws Exception {
        String key = "lost-" + UUID.randomUUID();
        Map<String, Object> body = createBody("once", small, image, network);
        byte[] raw = json.writeValueAsBytes(body);
        Caller caller = new Caller("t-test", tenant.projectId(), Role.MEMBER, false);
        // what the dead gateway did: the work and the key's answer, in its transaction; no response was sent
        InstanceService.Accepted done = service.create(caller, json.readTree(raw),
                store.guard(tenant.projectId(), key, "POST", "/v1/instances", sha256("POST", "/v1/instances", raw)));

        long t0 = System.nanoTime();
        Response retry = tenant.api().header("Idempotency-Key", key).contentType(ContentType.JSON).body(raw)
                .post("/v1/instances");
        retry.then().statusCode(202).header("Idempotent-Replayed", "true").body("id", equalTo(done.instance().id()))
                .header("Location", equalTo("/v1/operations/" + done.operationId()));
        assertEquals(1, instancesOf(tenant.projectId()), "the retry built nothing");
        assertEquals(true, (System.nanoTime() - t0) < 30_000_000_000L);
        tenant.awaitStatus(done.instance().id(), "ACTIVE");
        assertEquals(1, fakes.guestsOf(done.instance().id()));
    }

    /** Concurrent retries with one key: exactly one instance; every answer names it. */
    @Test
    void racingRequestsWithOneKeyBuildOneInstance() throws Exception {
        String key = "race-" + UUID.randomUUID();
        Map<String, Object> body = createBody("racer", small, image, network);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int n = 0; n < 4; n++) {
                answers.add(pool.submit(() -> tenant.api().header("Idempotency-Key", key)
                        .contentType(ContentType.JSON).body(body).post("/v1/instances")));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Response> f : answers) {
                Response r = f.get();
                r.then().statusCode(202);
                ids.add(r.path("id"));
            }
            assertEquals(1, ids.size(), "every answer names the one instance: " + ids);
            assertEquals(1, instancesOf(tenant.projectId()));
            assertEquals(List.of(1L, 1L, 512L), TestCloud.usage(ds, tenant.projectId()), "quota taken once");
        } finally {
            pool.shutdownNow();
        }
    }

    /** A refused create (400) stores its answer too; nothing is built by a retry. */
    @Test
    void aRefusedCreateIsReplayedAndChangesNothing() {
        String key = "bad-" + UUID.randomUUID();
        Map<String, Object> bad = createBody("no spaces allowed", small, image, network);
        tenant.api().header("Idempotency-Key", key).contentType(ContentType.JSON).body(bad).post("/v1/instances")
                .then().statusCode(400);
        tenant.api().header("Idempotency-Key", key).contentType(ContentType.JSON).body(bad).post("/v1/instances")
                .then().statusCode(400).header("Idempotent-Replayed", "true");
        assertEquals(0, instancesOf(tenant.projectId()));
    }

    private long instancesOf(String projectId) {
        return TestCloud.count(ds, "SELECT count(*) FROM instances WHERE project_id = ?", projectId);
    }

    private static byte[] sha256(String method, String path, byte[] body) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update((method + "\n" + path + "\n").getBytes(StandardCharsets.UTF_8));
        md.update(body);
        return md.digest();
    }
}
