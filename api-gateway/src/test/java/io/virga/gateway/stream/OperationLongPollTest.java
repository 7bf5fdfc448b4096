package io.virga.gateway.stream;

import static io.virga.gateway.TestApi.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.virga.gateway.TestApi;
import io.virga.gateway.TestApi.TestProject;
import io.virga.gateway.operation.OperationKind;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.operation.OperationStatus;
import io.virga.gateway.stream.SseClient.SseFrame;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GET /v1/operations/{id}?wait= and the operation events behind it, on real PostgreSQL and Kafka. */
@QuarkusTest
@TestProfile(LiveTestProfile.class)
class OperationLongPollTest {
    private static final Duration BUDGET = Duration.ofSeconds(20);

    @Inject
    OperationRepository operations;

    @Inject
    Tx tx;

    @Inject
    OperationWaiters waiters;

    @TestHTTPResource("/v1/events")
    URL events;

    TestProject project;

    @BeforeEach
    void setUp() {
        project = TestApi.newProject("poll");
    }

    private String startOperation() {
        String id = Ids.newId("op");
        tx.run(c -> {
            operations.insert(c, id, project.id(), OperationKind.INSTANCE_STOP, "i-" + id,
                    Instant.now().truncatedTo(ChronoUnit.MICROS));
            return null;
        });
        return id;
    }

    private void finish(String id) {
        tx.run(c -> {
            operations.finish(c, id, OperationStatus.SUCCEEDED, null);
            return null;
        });
    }

    @Test
    void aWaitReturnsAsSoonAsTheOperationFinishesAndTheStreamShowsIt() throws Exception {
        String op = startOperation();
        try (SseClient stream = SseClient.open(events.toString(), project.reader(), null)) {
            CompletableFuture<Response> poll = CompletableFuture.supplyAsync(
                    () -> as(project.reader()).get("/v1/operations/" + op + "?wait=60s"));
            long deadline = System.nanoTime() + BUDGET.toNanos();
            stream.next(f -> "connected".equals(f.comment()), BUDGET);
            while (waiters.pending() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, waiters.pending(), "the long-poll is parked as a waiter, not on a thread");
            finish(op);
            Response r = poll.get(BUDGET.toSeconds(), TimeUnit.SECONDS);
            r.then().statusCode(200).body("status", equalTo("SUCCEEDED")).body("id", equalTo(op));
            SseFrame finished = stream.next(f -> "io.virga.operation.finished".equals(f.event()), BUDGET);
            assertEquals(op, new com.fasterxml.jackson.databind.ObjectMapper().readTree(finished.data())
                    .path("subject").asText());
        }
    }

    @Test
    void aWaitThatEndsFirstShowsTheOperationStillRunning() {
        String op = startOperation();
        as(project.member()).get("/v1/operations/" + op + "?wait=300ms").then().statusCode(200)
                .body("status", equalTo("RUNNING"));
        finish(op);
        as(project.member()).get("/v1/operations/" + op + "?wait=30s").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "61s", "2m", "-1s", "30x", "1.5s"})
    void aBadWaitIs400NamingWait(String wait) {
        String op = startOperation();
        as(project.reader()).get("/v1/operations/" + op + "?wait=" + wait).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("wait"));
    }

    @Test
    void anotherProjectsOperationIs404EvenWhenWaiting() {
        String op = startOperation();
        TestProject other = TestApi.newProject("poll-other");
        as(other.admin()).get("/v1/operations/" + op + "?wait=5s").then().statusCode(404)
                .contentType("application/problem+json");
        assertEquals(0, waiters.pending());
    }
}
