package io.virga.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The live event stream on a running cloud: an instance create shows up on its project's
 * {@code GET /v1/events} from BUILDING to ACTIVE (operation started and finished included), another
 * project's stream never shows it, the operation's long-poll returns once it succeeded, and the create is
 * in the audit log. Prints the latency from each event's time to its arrival at the client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventsIT {
    private static final Duration BUDGET = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Cloud cloud;
    private Api admin;
    private String network;
    private String image;

    @BeforeAll
    void startCloud() {
        cloud = Cloud.start();
        admin = cloud.admin();
        admin.post("/v1/flavors", Map.of("name", "m1.small", "vcpus", 1, "ram_mb", 512, "disk_gb", 1))
                .then().statusCode(201);
        network = admin.create("/v1/networks", Map.of("name", "public", "shared", true), 201);
        admin.post("/v1/networks/" + network + "/subnets", Map.of("name", "public-v4", "cidr", "10.40.0.0/24"))
                .then().statusCode(201);
        image = admin.create("/v1/images", Map.of("name", "tiny", "disk_format", "raw", "visibility", "public"),
                201);
        admin.request().contentType("application/octet-stream").body(new byte[64 * 1024])
                .put("/v1/images/" + image + "/data").then().statusCode(200);
    }

    @AfterAll
    void stopCloud() {
        if (cloud != null) {
            cloud.close();
        }
    }

    private record Member(Api api, String token) {
    }

    private Member member(String name) {
        String project = admin.create("/v1/projects", Map.of("name", name), 201);
        String token = admin.post("/v1/projects/" + project + "/tokens", Map.of("role", "member"))
                .then().statusCode(201).extract().path("token");
        return new Member(admin.as(token, project), token);
    }

    private static JsonNode body(EventStream.Frame f) {
        try {
            return JSON.readTree(f.data());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Response create(Api api, String name) {
        Response r = api.post("/v1/instances", Map.of("name", name, "flavor", "m1.small", "image", image,
                "networks", List.of(Map.of("network", network))));
        r.then().statusCode(202);
        return r;
    }

    @Test
    void anInstanceCreateStreamsItsEventsToActiveToItsProjectOnly() throws Exception {
        Member a = member("events-a");
        Member b = member("events-b");
        try (EventStream streamA = EventStream.open(cloud.gatewayUrl(), a.token());
             EventStream streamB = EventStream.open(cloud.gatewayUrl(), b.token())) {
            Response created = create(a.api(), "web-1");
            String id = created.path("id");
            String op = created.header("Location").substring("/v1/operations/".length());

            Response polled = a.api().get("/v1/operations/" + op + "?wait=60s");
            polled.then().statusCode(200);

            List<String> statuses = new ArrayList<>();
            List<String> types = new ArrayList<>();
            List<Long> latenciesMs = new ArrayList<>();
            long[] lastId = {0};
            streamA.until(f -> "io.virga.instance.status".equals(f.event())
                            && id.equals(body(f).path("subject").asText())
                            && "ACTIVE".equals(body(f).path("data").path("status").asText()),
                    f -> {
                        JsonNode e = body(f);
                        assertEquals(a.api().projectId(), e.path("project_id").asText(), e.toString());
                        long seq = Long.parseLong(f.id());
                        assertTrue(seq > lastId[0], "ids increase");
                        lastId[0] = seq;
                        types.add(f.event());
                        if ("io.virga.instance.status".equals(f.event())) {
                            statuses.add(e.path("data").path("status").asText());
                        }
                        latenciesMs.add(Duration.between(Instant.parse(e.path("time").asText()), f.receivedAt())
                                .toMillis());
                    }, BUDGET);
            assertEquals("BUILDING", statuses.get(0), statuses.toString());
            assertEquals("ACTIVE", statuses.get(statuses.size() - 1));
            assertTrue(types.contains("io.virga.operation.started"), types.toString());
            if (!"SUCCEEDED".equals(polled.path("status"))) {
                a.api().get("/v1/operations/" + op + "?wait=60s").then().body("status", equalTo("SUCCEEDED"));
            }
            latenciesMs.sort(Long::compare);
            System.out.printf("EVENTS-LATENCY n=%d min=%d ms median=%d ms max=%d ms (event time -> SSE client)%n",
                    latenciesMs.size(), latenciesMs.get(0), latenciesMs.get(latenciesMs.size() / 2),
                    latenciesMs.get(latenciesMs.size() - 1));

            // project B: its own create arrives; nothing of A's ever did
            String other = create(b.api(), "web-b").path("id");
            streamB.until(f -> other.equals(body(f).path("subject").asText())
                            && "ACTIVE".equals(body(f).path("data").path("status").asText()),
                    f -> {
                        assertEquals(b.api().projectId(), body(f).path("project_id").asText());
                        assertFalse(f.data().contains(id), "project B saw A's instance: " + f.data());
                    }, BUDGET);

            String audit = admin.get("/v1/audit?resource=" + id).then().statusCode(200).extract().asString();
            assertTrue(audit.contains("\"route\":\"/v1/instances\""), audit);
            assertTrue(audit.contains("\"status\":202"), audit);
        }
    }
}
