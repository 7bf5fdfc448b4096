package io.virga.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code virga stack …} against canned API answers: what it sends, what it prints, how --wait ends. */
class StackCommandTest {
    private static final String PLAN = "{\"plan_id\":\"plan-1\",\"stack\":\"web\",\"summary\":{\"create\":1,"
            + "\"update\":1,\"replace\":0,\"delete\":0,\"no-op\":0},\"resources\":[{\"address\":\"network.web\","
            + "\"kind\":\"network\",\"name\":\"web\",\"action\":\"create\",\"id\":null,\"reason\":null,\"changes\":[]},"
            + "{\"address\":\"instance.a\",\"kind\":\"instance\",\"name\":\"a\",\"action\":\"update\",\"id\":\"i-1\","
            + "\"reason\":\"instance i-1 is STOPPED (changed outside the stack)\",\"changes\":[{\"attribute\":"
            + "\"status\",\"before\":\"STOPPED\",\"after\":\"ACTIVE\",\"forces_replacement\":false}]}]}";

    private FakeApi api;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        api = new FakeApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void planSendsTheFileAndTypedVariablesAndPrintsTheDiff() throws Exception {
        Path spec = Files.writeString(dir.resolve("web.yaml"), "resources: {network: {web: {name: web}}}\n");
        api.onJson("POST /v1/stacks/web/plan", 200, PLAN);
        Run r = Run.against(api, "stack", "plan", "-f", spec.toString(), "--var", "size=2", "--var", "name=x");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("update  instance.a   i-1  status: STOPPED -> ACTIVE"), r.out());
        assertTrue(r.err().contains("plan: 1 to create, 1 to update (plan plan-1)"), r.err());
        JsonNode sent = new ObjectMapper().readTree(api.requests.get(0).body());
        assertEquals("resources: {network: {web: {name: web}}}\n", sent.path("spec").asText());
        assertEquals(2, sent.path("variables").path("size").asInt());
        assertTrue(sent.path("variables").path("size").isInt());
        assertEquals("x", sent.path("variables").path("name").asText());
    }

    @Test
    void applyWaitsForTheOperationAndAFailedOneExitsOneWithItsFault() throws Exception {
        Path spec = Files.writeString(dir.resolve("app.yaml"), "resources: {}\n");
        api.on("POST /v1/stacks/app/apply", new FakeApi.Answer(202, "application/json",
                PLAN.replace("\"plan_id\":\"plan-1\"", "\"operation_id\":\"op-1\""),
                Map.of("Location", "/v1/operations/op-1")));
        api.onJson("GET /v1/operations/op-1", 200, "{\"id\":\"op-1\",\"kind\":\"stack.apply\",\"status\":\"FAILED\","
                + "\"steps\":[],\"fault\":{\"message\":\"1 failed, 0 skipped; instance.big: 403 quota\","
                + "\"code\":\"stack.failed\"}}");
        Run r = Run.against(api, "stack", "apply", "-f", spec.toString(), "--plan", "plan-1", "--wait");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("instance.big: 403 quota"), r.err());
        JsonNode sent = new ObjectMapper().readTree(api.requests.get(0).body());
        assertEquals("plan-1", sent.path("plan_id").asText());
    }

    @Test
    void showListAndDestroyCallTheirPaths() {
        api.onJson("GET /v1/stacks/web", 200, "{\"name\":\"web\",\"status\":\"APPLIED\",\"outputs\":{\"ip\":"
                + "\"10.0.0.2\"},\"resources\":[{\"address\":\"network.web\",\"id\":\"n-1\",\"attributes\":"
                + "{\"status\":\"ACTIVE\"}}]}");
        api.onJson("GET /v1/stacks", 200, "{\"items\":[{\"name\":\"web\",\"status\":\"APPLIED\"}],"
                + "\"next_cursor\":null}");
        api.on("DELETE /v1/stacks/web", new FakeApi.Answer(202, "application/json",
                "{\"stack\":\"web\",\"operation_id\":\"op-2\",\"summary\":{\"delete\":1},\"resources\":[]}",
                Map.of("Location", "/v1/operations/op-2")));
        Run show = Run.against(api, "stack", "show", "web");
        assertEquals(0, show.code(), show.err());
        assertTrue(show.out().contains("network.web  n-1"), show.out());
        Run list = Run.against(api, "stack", "list");
        assertTrue(list.out().contains("web   APPLIED"), list.out());
        Run destroy = Run.against(api, "stack", "destroy", "web");
        assertEquals(0, destroy.code(), destroy.err());
        assertTrue(destroy.err().contains("started operation op-2"), destroy.err());
    }
}
