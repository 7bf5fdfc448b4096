package io.virga.gateway.auditlog;

import static io.restassured.RestAssured.given;
import static io.virga.gateway.TestApi.as;
import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.virga.gateway.TestApi;
import io.virga.gateway.TestApi.TestProject;
import io.virga.gateway.stream.LiveTestProfile;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.CloudEventCodec;
import io.virga.platform.kafka.KafkaClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The audit log: rows for every mutating call, their Kafka copies, GET /v1/audit for cloud admins only. */
@QuarkusTest
@TestProfile(LiveTestProfile.class)
class AuditLogTest {

    private static JsonPath audit(String query) {
        return asAdmin().get("/v1/audit?" + query).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void successAndFailureAreAuditedWithWhoWhatWhichAndTheRequestId() {
        TestProject p = TestApi.newProject("aud");
        String tokenId = asAdmin().body(Map.of("role", "member")).post("/v1/projects/" + p.id() + "/tokens")
                .then().statusCode(201).extract().path("id");
        // a reader's write: 403, audited with the reader as actor
        as(p.reader()).header("X-Request-Id", "req-test-" + p.id()).body(Map.of("name", "x"))
                .post("/v1/networks").then().statusCode(403).header("X-Request-Id", "req-test-" + p.id());
        // no token: 401, audited without an actor
        given().contentType("application/json").body("{}").post("/v1/flavors").then().statusCode(401)
                .header("X-Request-Id", notNullValue());

        JsonPath created = audit("resource=" + tokenId);
        assertEquals(1, created.getList("items").size());
        assertEquals("POST", created.getString("items[0].method"));
        assertEquals("/v1/projects/{projectId}/tokens", created.getString("items[0].route"));
        assertEquals(p.id(), created.getString("items[0].resource_id"));
        assertEquals(tokenId, created.getString("items[0].created_id"));
        assertEquals(201, created.getInt("items[0].status"));
        assertEquals(true, created.getBoolean("items[0].actor.cloud_admin"));
        assertEquals("admin", created.getString("items[0].actor.role"));
        assertTrue(created.getString("items[0].request_id").startsWith("req-"));

        String readerToken = readerTokenId(p);
        JsonPath denied = audit("actor=" + readerToken);
        assertEquals(1, denied.getList("items").size());
        assertEquals(403, denied.getInt("items[0].status"));
        assertEquals("/v1/networks", denied.getString("items[0].route"));
        assertEquals("req-test-" + p.id(), denied.getString("items[0].request_id"));
        assertEquals(p.id(), denied.getString("items[0].actor.project_id"));
        assertEquals("reader", denied.getString("items[0].actor.role"));

        JsonPath anonymous = audit("limit=50");
        boolean found = false;
        for (Map<String, Object> item : anonymous.<Map<String, Object>>getList("items")) {
            if (Integer.valueOf(401).equals(item.get("status")) && "/v1/flavors".equals(item.get("route"))) {
                found = ((Map<?, ?>) item.get("actor")).get("token_id") == null;
            }
        }
        assertTrue(found, "the 401 call is audited without an actor");
        // reads are not audited
        asAdmin().get("/v1/projects/" + p.id()).then().statusCode(200);
        assertEquals(0, audit("resource=" + p.id() + "&actor=" + readerToken).getList("items").size());
    }

    private static String readerTokenId(TestProject p) {
        List<Map<String, Object>> tokens = asAdmin().get("/v1/projects/" + p.id() + "/tokens").then()
                .statusCode(200).extract().jsonPath().getList("items");
        return tokens.stream().filter(t -> "reader".equals(t.get("role"))).map(t -> (String) t.get("id"))
                .findFirst().orElseThrow();
    }

    @Test
    void noSecretEverReachesTheAuditOrItsTopic() {
        TestProject p = TestApi.newProject("aud-secret");
        String secret = asAdmin().body(Map.of("role", "member")).post("/v1/projects/" + p.id() + "/tokens")
                .then().statusCode(201).extract().path("token");
        String userData = "#cloud-config password: hunter2-" + UUID.randomUUID();
        as(secret).body(Map.of("name", "web", "flavor", "nope", "image", "img-none",
                "networks", List.of(), "user_data", userData)).post("/v1/instances?password=qs-secret");
        String all = asAdmin().get("/v1/audit?project_id=" + p.id() + "&limit=1000").then().statusCode(200)
                .extract().asString();
        assertTrue(all.contains("/v1/instances"), all);
        for (String leak : List.of(secret, userData, "hunter2", "qs-secret")) {
            assertFalse(all.contains(leak), "audit shows " + leak);
        }
        String onKafka = String.join("\n", auditTopic(p.id(), 2));
        assertTrue(onKafka.contains("/v1/instances"), onKafka);
        for (String leak : List.of(secret, userData, "hunter2", "qs-secret")) {
            assertFalse(onKafka.contains(leak), "audit topic shows " + leak);
        }
    }

    /** The data of the audit events of {@code projectId} on virga.audit.v1 (at least {@code atLeast}). */
    private static List<String> auditTopic(String projectId, int atLeast) {
        String bootstrap = ConfigProvider.getConfig().getValue("virga.kafka.bootstrap-servers", String.class);
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(bootstrap, "audit-test-" + UUID.randomUUID())) {
            List<TopicPartition> parts = consumer.partitionsFor(AuditLogStore.TOPIC).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (out.size() < atLeast && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    CloudEvent e = CloudEventCodec.decode(r.value());
                    if (projectId.equals(e.subject())) {
                        assertEquals(AuditLogStore.TYPE, e.type());
                        out.add(e.data().toString());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void filtersAndCursorPagesAreDoneInTheDatabase() {
        TestProject p = TestApi.newProject("aud-page");
        Instant before = Instant.now();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            ids.add(as(p.admin()).body(Map.of("name", "net-" + i)).post("/v1/networks").then().extract()
                    .path("id"));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = audit("project_id=" + p.id() + "&since=" + before + "&limit=1"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            seen.addAll(page.getList("items.id"));
            cursor = page.getString("next_cursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(3, seen.size(), seen.toString());
        assertEquals(3, new HashSet<>(seen).size());
        assertEquals(0, audit("project_id=" + p.id() + "&until=" + before).getList("items").size());
        JsonPath newestFirst = audit("project_id=" + p.id() + "&limit=3");
        assertTrue(newestFirst.getString("items[0].at").compareTo(newestFirst.getString("items[2].at")) >= 0);
        assertNotNull(newestFirst.getString("items[0].route"));
    }

    @Test
    void onlyCloudAdminsMayReadTheAuditAndBadFiltersAreNamed() {
        TestProject p = TestApi.newProject("aud-403");
        for (String token : List.of(p.admin(), p.member(), p.reader())) {
            as(token).get("/v1/audit").then().statusCode(403).contentType("application/problem+json");
        }
        given().get("/v1/audit").then().statusCode(401);
        for (String field : List.of("since", "until")) {
            asAdmin().get("/v1/audit?" + field + "=yesterday").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo(field));
        }
        asAdmin().get("/v1/audit?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        asAdmin().get("/v1/audit?cursor=!!").then().statusCode(400).body("errors[0].field", equalTo("cursor"));
    }
}
