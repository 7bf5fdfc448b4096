package io.virga.gateway.stream;

import static io.virga.gateway.TestApi.as;
import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.virga.gateway.TestApi;
import io.virga.gateway.TestApi.TestProject;
import io.virga.gateway.stream.SseClient.SseFrame;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /v1/events read by a real HTTP client, fed from the real Kafka through the real consumer. */
@QuarkusTest
@TestProfile(LiveTestProfile.class)
class EventStreamTest {
    private static final Duration BUDGET = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/v1/events")
    URL events;

    @Inject
    StreamStore store;

    TestEvents publish;
    TestProject a;
    TestProject b;

    @BeforeEach
    void setUp() {
        publish = new TestEvents();
        a = TestApi.newProject("sse-a");
        b = TestApi.newProject("sse-b");
    }

    @AfterEach
    void tearDown() {
        publish.close();
    }

    private SseClient open(String token, String query, String lastEventId) throws Exception {
        SseClient c = SseClient.open(events + (query == null ? "" : "?" + query), token, lastEventId);
        assertEquals(200, c.status());
        assertTrue(c.contentType().startsWith("text/event-stream"), c.contentType());
        c.next(f -> "connected".equals(f.comment()), BUDGET);
        return c;
    }

    private static JsonNode json(SseFrame f) throws Exception {
        return JSON.readTree(f.data());
    }

    private static String subject(SseFrame f) {
        try {
            return json(f).path("subject").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aReaderSeesOnlyItsProjectsEventsAndResumesAfterLastEventId() throws Exception {
        String first;
        try (SseClient c = open(a.reader(), null, null)) {
            publish.instanceStatus(b.id(), "i-b-" + a.id(), "ACTIVE");
            publish.instanceStatus(a.id(), "i-a1-" + a.id(), "ACTIVE");
            publish.instanceStatus(a.id(), "i-a2-" + a.id(), "STOPPED");
            List<SseFrame> got = c.eventsUntil(f -> subject(f).equals("i-a2-" + a.id()), BUDGET);
            for (SseFrame f : got) {
                JsonNode body = json(f);
                assertEquals(a.id(), body.path("project_id").asText(), "another project's event leaked: " + body);
                assertEquals("io.virga.instance.status", f.event());
                assertEquals(f.id(), body.path("id").asText());
            }
            assertEquals(List.of("i-a1-" + a.id(), "i-a2-" + a.id()),
                    got.stream().map(EventStreamTest::subject).toList());
            assertEquals("STOPPED", json(got.get(1)).path("data").path("status").asText());
            assertEquals(a.id(), json(got.get(1)).path("data").path("project_id").asText(), "snake_case data");
            assertTrue(Long.parseLong(got.get(1).id()) > Long.parseLong(got.get(0).id()));
            first = got.get(0).id();
        }
        publish.instanceStatus(a.id(), "i-a3-" + a.id(), "ACTIVE");
        try (SseClient c = open(a.member(), null, first)) {
            List<SseFrame> resumed = c.eventsUntil(f -> subject(f).equals("i-a3-" + a.id()), BUDGET);
            assertEquals(List.of("i-a2-" + a.id(), "i-a3-" + a.id()),
                    resumed.stream().map(EventStreamTest::subject).toList());
            SseFrame beat = c.next(SseFrame::isComment, BUDGET);
            assertEquals("keep-alive", beat.comment());
        }
    }

    @Test
    void aCloudAdminSeesEveryProjectOrTheOneItNames() throws Exception {
        try (SseClient all = open(TestApi.adminToken(), null, null);
             SseClient onlyB = open(TestApi.adminToken(), "project_id=" + b.id(), null)) {
            publish.instanceStatus(a.id(), "i-x1-" + a.id(), "ACTIVE");
            publish.instanceStatus(b.id(), "i-x2-" + b.id(), "ACTIVE");
            List<String> seen = all.eventsUntil(f -> subject(f).equals("i-x2-" + b.id()), BUDGET).stream()
                    .map(EventStreamTest::subject).toList();
            assertTrue(seen.contains("i-x1-" + a.id()), seen.toString());
            List<SseFrame> bOnly = onlyB.eventsUntil(f -> subject(f).equals("i-x2-" + b.id()), BUDGET);
            for (SseFrame f : bOnly) {
                assertEquals(b.id(), json(f).path("project_id").asText());
            }
        }
    }

    @Test
    void aTenantCannotNameAnotherProjectAndNeedsAToken() {
        as(a.reader()).accept("text/event-stream").get("/v1/events?project_id=" + b.id()).then().statusCode(404)
                .contentType("application/problem+json");
        io.restassured.RestAssured.given().accept("text/event-stream").get("/v1/events").then().statusCode(401);
    }

    @Test
    void aMalformedLastEventIdIs400NamingTheHeader() {
        for (String bad : List.of("abc", "-1", "1.5")) {
            as(a.reader()).accept("text/event-stream").header("Last-Event-ID", bad).get("/v1/events").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("Last-Event-ID"));
        }
    }

    @Test
    void aResumeFromPrunedEventsSaysSoBeforeWhatIsLeft() throws Exception {
        String old;
        try (SseClient c = open(a.reader(), null, null)) {
            publish.instanceStatus(a.id(), "i-old-" + a.id(), "ACTIVE");
            publish.instanceStatus(a.id(), "i-mid-" + a.id(), "ACTIVE");
            old = c.next(f -> !f.isComment() && subject(f).equals("i-old-" + a.id()), BUDGET).id();
            c.next(f -> !f.isComment() && subject(f).equals("i-mid-" + a.id()), BUDGET);
        }
        assertTrue(store.prune(Instant.now().plusSeconds(60)) > 0);
        publish.instanceStatus(a.id(), "i-new-" + a.id(), "ACTIVE");
        // wait until the new event is recorded, then resume from the pruned id
        try (SseClient live = open(a.reader(), null, String.valueOf(store.prunedThrough()))) {
            live.next(f -> !f.isComment() && "i-new-".concat(a.id()).equals(subject(f)), BUDGET);
        }
        try (SseClient c = open(a.reader(), null, old)) {
            SseFrame reset = c.next(f -> !f.isComment(), BUDGET);
            assertEquals("stream.reset", reset.event());
            assertEquals("last_event_id_too_old", json(reset).path("reason").asText());
            assertEquals(old, json(reset).path("last_event_id").asText());
            SseFrame next = c.next(f -> !f.isComment(), BUDGET);
            assertEquals("i-new-" + a.id(), subject(next));
        }
        try (SseClient c = open(a.reader(), null, "999999999999")) {
            SseFrame reset = c.next(f -> !f.isComment(), BUDGET);
            assertEquals("stream.reset", reset.event());
            assertEquals("unknown_last_event_id", json(reset).path("reason").asText());
        }
        assertFalse(asAdmin().get("/v1/health").statusCode() >= 500);
    }
}
