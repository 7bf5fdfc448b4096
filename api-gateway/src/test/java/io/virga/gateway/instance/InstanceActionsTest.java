package io.virga.gateway.instance;

import static io.virga.gateway.instance.TestCloud.createBody;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.virga.gateway.instance.fakes.FakeCompute;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.instance.fakes.InstancesTestProfile;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Instance actions through HTTP against the fake compute nodes (which follow
 * the compute contract): each action ends in its declared status with its
 * operation, forbidden transitions and missing host capabilities are 409s that
 * change nothing, a lock keeps members out, one action at a time.
 */
@QuarkusTest
@TestProfile(InstancesTestProfile.class)
class InstanceActionsTest {
    @Inject
    DataSource ds;

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

    private String active(String name) {
        String id = tenant.post("/v1/instances", createBody(name, small, image, network)).then().statusCode(202)
                .extract().path("id");
        tenant.awaitStatus(id, "ACTIVE");
        return id;
    }

    private Response act(String id, Map<String, Object> body) {
        return tenant.post("/v1/instances/" + id + "/actions", body);
    }

    /** Runs the action, expects 202 and the operation SUCCEEDED, the instance in {@code status} without a task. */
    private Response run(String id, String status, Object... kv) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        for (int n = 0; n < kv.length; n += 2) {
            body.put((String) kv[n], kv[n + 1]);
        }
        Response accepted = act(id, body);
        accepted.then().statusCode(202).header("Location", startsWith("/v1/operations/op-"));
        tenant.await(accepted.header("Location"), r -> !"RUNNING".equals(r.path("status")))
                .then().body("status", equalTo("SUCCEEDED")).body("kind", equalTo("instance." + body.get("action")));
        return tenant.await("/v1/instances/" + id, r -> status.equals(r.path("status")) && r.path("task") == null);
    }

    private FakeCompute hostOf(String id) {
        return fakes.compute(tenant.api().get("/v1/instances/" + id).path("host"));
    }

    @Test
    void stopAndStart() {
        String id = active("power-1");
        run(id, "STOPPED", "action", "stop", "grace_seconds", 0);
        assertEquals(io.virga.contracts.events.v1.PowerState.SHUTDOWN, hostOf(id).guests().get(id));
        run(id, "ACTIVE", "action", "start");
        assertEquals(io.virga.contracts.events.v1.PowerState.RUNNING, hostOf(id).guests().get(id));
        assertEquals(List.of("Stop " + id, "Start " + id), hostOf(id).actions().stream()
                .filter(a -> a.endsWith(id)).toList());
    }

    @Test
    void rebootSoftAndHard() {
        String id = active("power-2");
        run(id, "ACTIVE", "action", "reboot");
        run(id, "ACTIVE", "action", "reboot", "type", "hard");
        assertEquals(2, hostOf(id).actions().stream().filter(a -> a.equals("Reboot " + id)).count());
    }

    @Test
    void pauseUnpauseSuspendResume() {
        String id = active("power-3");
        run(id, "PAUSED", "action", "pause");
        run(id, "ACTIVE", "action", "unpause");
        run(id, "PAUSED", "action", "pause");
        run(id, "SUSPENDED", "action", "suspend"); // from PAUSED too
        run(id, "ACTIVE", "action", "resume");
    }

    @ParameterizedTest(name = "{1} from {0} is 409")
    @CsvSource({
            "ACTIVE, start, STOPPED",
            "ACTIVE, unpause, PAUSED",
            "ACTIVE, resume, SUSPENDED",
            "STOPPED, pause, ACTIVE",
            "STOPPED, suspend, ACTIVE|PAUSED",
            "STOPPED, reboot, ACTIVE|ERROR",
            "STOPPED, stop, ACTIVE|PAUSED|SUSPENDED|ERROR",
            "PAUSED, resume, SUSPENDED"})
    void forbiddenTransitionsAre409NamingTheStatusAndTheAllowedOnes(String from, String action, String allowed) {
        String id = active("forbidden");
        switch (from) {
            case "STOPPED" -> run(id, "STOPPED", "action", "stop", "grace_seconds", 0);
            case "PAUSED" -> run(id, "PAUSED", "action", "pause");
            default -> { }
        }
        long ops = operationsOf(id);
        Response r = act(id, Map.of("action", action));
        r.then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://virga.dev/problems/invalid-state"))
                .body("current_status", equalTo(from))
                .body("allowed_statuses", equalTo(List.of(allowed.split("\\|"))))
                .body("detail", containsString(from));
        assertEquals(ops, operationsOf(id), "no operation was recorded");
        tenant.api().get("/v1/instances/" + id).then().body("status", equalTo(from)).body("task", nullValue());
    }

    @Test
    void aHostWithoutTheCapabilityIs409NamingTheTraitAndNothingChanges() {
        String id = active("no-suspend");
        FakeCompute node = hostOf(id);
        Set<String> fewer = new HashSet<>(FakeCompute.ALL_TRAITS);
        fewer.remove("COMPUTE_SUSPEND");
        node.capabilities(fewer);
        long ops = operationsOf(id);
        act(id, Map.of("action", "suspend")).then().statusCode(409).body("detail", containsString("COMPUTE_SUSPEND"));
        assertEquals(ops, operationsOf(id));
        tenant.api().get("/v1/instances/" + id).then().body("status", equalTo("ACTIVE")).body("task", nullValue());
        assertTrue(node.actions().stream().noneMatch(a -> a.startsWith("Suspend")));
        run(id, "PAUSED", "action", "pause"); // what it can do still works
    }

    @Test
    void aRefusalByTheNodeFailsTheOperationAndLeavesTheInstanceAsItWas() {
        String id = active("refused");
        hostOf(id).failures.failNext("Pause", 1, io.grpc.Status.FAILED_PRECONDITION);
        Response accepted = act(id, Map.of("action", "pause"));
        accepted.then().statusCode(202).body("task", equalTo("pausing"));
        Response op = tenant.await(accepted.header("Location"), r -> !"RUNNING".equals(r.path("status")));
        op.then().body("status", equalTo("FAILED")).body("fault.code", equalTo("StepRefused"))
                .body("fault.message", containsString("FAILED_PRECONDITION"));
        tenant.awaitSettled(id).then().body("status", equalTo("ACTIVE"));
    }

    @Test
    void aSecondActionWhileOneRunsIs409NamingTheRunningOperation() {
        String id = active("busy");
        FakeCompute node = hostOf(id);
        node.failures.failAlways("Stop", io.grpc.Status.UNAVAILABLE); // the node is away: stop waits for it
        Response stop = act(id, Map.of("action", "stop"));
        stop.then().statusCode(202);
        String stopOp = stop.header("Location").substring("/v1/operations/".length());
        act(id, Map.of("action", "pause")).then().statusCode(409)
                .body("type", equalTo("https://virga.dev/problems/resource-busy"))
                .body("operation_id", equalTo(stopOp));
        node.failures.clear();
        tenant.await(stop.header("Location"), r -> "SUCCEEDED".equals(r.path("status")));
        tenant.awaitStatus(id, "STOPPED");
    }

    @Test
    void anActionRetriedWithTheSameKeyRunsOnce() {
        String id = active("keyed");
        Response first = tenant.api().header("Idempotency-Key", "stop-" + id).contentType(ContentType.JSON)
                .body(Map.of("action", "stop")).post("/v1/instances/" + id + "/actions");
        Response again = tenant.api().header("Idempotency-Key", "stop-" + id).contentType(ContentType.JSON)
                .body(Map.of("action", "stop")).post("/v1/instances/" + id + "/actions");
        first.then().statusCode(202);
        again.then().statusCode(202).header("Idempotent-Replayed", "true")
                .header("Location", equalTo(first.header("Location")));
        tenant.awaitStatus(id, "STOPPED");
        assertEquals(1, hostOf(id).actions().stream().filter(a -> a.equals("Stop " + id)).count());
    }

    @Test
    void aLockedInstanceRefusesMembersButNotAdmins() {
        String id = active("locked");
        run(id, "ACTIVE", "action", "lock");
        tenant.api().get("/v1/instances/" + id).then().body("locked", equalTo(true));
        act(id, Map.of("action", "stop")).then().statusCode(409).body("detail", containsString("locked"));
        tenant.api().delete("/v1/instances/" + id).then().statusCode(409);
        tenant.api().contentType(ContentType.JSON).body(Map.of("name", "renamed")).patch("/v1/instances/" + id)
                .then().statusCode(409);
        String adminToken = TestCloud.admin().body(Map.of("role", "admin", "name", "boss"))
                .post("/v1/projects/" + tenant.projectId() + "/tokens").then().statusCode(201).extract().path("token");
        TestCloud.Tenant admin = new TestCloud.Tenant(tenant.projectId(), adminToken);
        admin.post("/v1/instances/" + id + "/actions", Map.of("action", "stop")).then().statusCode(202);
        tenant.awaitStatus(id, "STOPPED");
        run(id, "STOPPED", "action", "unlock");
        run(id, "ACTIVE", "action", "start");
    }

    @Test
    void badActionBodiesAre400NamingTheField() {
        String id = active("bad-body");
        act(id, Map.of("action", "explode")).then().statusCode(400).body("errors[0].field", equalTo("action"));
        act(id, Map.of()).then().statusCode(400).body("errors[0].field", equalTo("action"));
        act(id, Map.of("action", "reboot", "type", "gentle")).then().statusCode(400)
                .body("errors[0].field", equalTo("type"));
        act(id, Map.of("action", "stop", "grace_seconds", -1)).then().statusCode(400)
                .body("errors[0].field", equalTo("grace_seconds"));
        act(id, Map.of("action", "stop", "force", true)).then().statusCode(400)
                .body("errors[0].field", equalTo("force"));
        tenant.api().get("/v1/instances/" + id).then().body("status", equalTo("ACTIVE"));
    }

    @Test
    void actionsEmitInstanceEvents() {
        String id = active("evented");
        run(id, "STOPPED", "action", "stop");
        List<String> expected = List.of("BUILDING", "ACTIVE", "STOPPED");
        assertEquals(expected, InstanceLifecycleTest.gatewayEvents(id,
                seen -> InstanceLifecycleTest.dedupe(seen).equals(expected)).stream().distinct().toList());
    }

    @Test
    void patchUpdatesAttributesWithETags() {
        String id = active("patched");
        Response got = tenant.api().get("/v1/instances/" + id);
        String etag = got.header("ETag");
        Response patched = tenant.api().contentType(ContentType.JSON).header("If-Match", etag)
                .body(Map.of("name", "renamed", "description", "the web server",
                        "metadata", Map.of("role", "web"), "tags", List.of("prod", "web")))
                .patch("/v1/instances/" + id);
        patched.then().statusCode(200).body("name", equalTo("renamed")).body("description", equalTo("the web server"))
                .body("metadata.role", equalTo("web")).body("tags", hasItem("prod"));
        String newTag = patched.header("ETag");
        assertTrue(!newTag.equals(etag));
        // a client that read before the change loses: 412, nothing changes
        tenant.api().contentType(ContentType.JSON).header("If-Match", etag).body(Map.of("name", "lost"))
                .patch("/v1/instances/" + id).then().statusCode(412).contentType("application/problem+json");
        tenant.api().get("/v1/instances/" + id).then().body("name", equalTo("renamed"));
        tenant.api().contentType(ContentType.JSON).body(Map.of("status", "ACTIVE")).patch("/v1/instances/" + id)
                .then().statusCode(400).body("errors[0].field", equalTo("status"));
        tenant.api().contentType(ContentType.JSON).header("If-Match", newTag).body("{\"description\": null}")
                .patch("/v1/instances/" + id).then().statusCode(200).body("description", nullValue())
                .body("name", equalTo("renamed"));
    }

    private long operationsOf(String id) {
        return TestCloud.count(ds, "SELECT count(*) FROM operations WHERE resource_id = ?", id);
    }
}
