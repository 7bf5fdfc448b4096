package io.virga.gateway.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.TestCloudAccess;
import io.virga.gateway.instance.fakes.Fakes;
import io.virga.gateway.operation.Operation;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.operation.OperationStatus;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine with a test flow ({@link WidgetFlow}) and a 30 s poll interval
 * ({@link WakeTestProfile}): observations wake waiting workflows at once,
 * one active workflow per resource is enforced by the database, data
 * written at an older version is upgraded, and a create runs at full speed
 * without the poll.
 */
@QuarkusTest
@TestProfile(WakeTestProfile.class)
class WorkflowEngineTest {
    private static final Duration BUDGET = Duration.ofSeconds(20); // well below the 30 s poll

    @Inject
    Tx tx;
    @Inject
    Workflows workflows;
    @Inject
    WorkflowRepository repository;
    @Inject
    Mailbox mailbox;
    @Inject
    WidgetFlow widgets;
    @Inject
    OperationRepository operations;
    @Inject
    MidwayCreates midway;

    String projectId;

    @BeforeEach
    void setUp() {
        Fakes.get().reset();
        TestCloudAccess.awaitConsumer(tx.dataSource());
        projectId = TestCloudAccess.newProject();
    }

    private String startWidget(String widget, String greeting) {
        String opId = Ids.newId("op");
        WidgetFlow.Data data = new WidgetFlow.Data();
        data.greeting = greeting;
        tx.run(c -> {
            insertOperation(c, opId, widget);
            workflows.start(c, opId, widgets, widget, data);
            return null;
        });
        return opId;
    }

    private void insertOperation(java.sql.Connection c, String opId, String widget) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO operations (id, project_id, kind, resource_id,"
                + " status) VALUES (?, ?, 'instance.create', ?, 'RUNNING')")) { // any declared kind will do
            ps.setString(1, opId);
            ps.setString(2, projectId);
            ps.setString(3, widget);
            ps.executeUpdate();
        }
    }

    private void poke(String widget, String by) {
        // as an event consumer does: in its own transaction, no in-process wake-up; NOTIFY on commit
        tx.run(c -> mailbox.post(c, "widget", widget, "poke", "test", Map.of("by", by)));
    }

    @Test
    void anObservationWakesTheWaitingWorkflowAtOnce() {
        String widget = "w-" + Ids.newId("x");
        String opId = startWidget(widget, "hello");
        await("the workflow waits for its poke", () -> detail(opId).contains("waiting for a poke"));
        Instant posted = Instant.now();
        poke(widget, "tester");
        await("the workflow finished", () -> operation(opId).status() == OperationStatus.SUCCEEDED);
        assertTrue(Duration.between(posted, Instant.now()).compareTo(BUDGET) < 0);
        assertEquals("hello, poked by tester", detail(opId));
        assertEquals(0, TestCloudAccessCount.of(tx, "SELECT count(*) FROM workflow_mailbox WHERE operation_id = ?",
                opId), "the mailbox is emptied when the workflow ends");
    }

    @Test
    void aSecondWorkflowOnABusyResourceIsRefusedNamingTheRunningOperation() {
        String widget = "w-" + Ids.newId("x");
        String first = startWidget(widget, "one");
        BusyResourceException busy = assertThrows(BusyResourceException.class, () -> startWidget(widget, "two"));
        assertEquals(first, busy.runningOperationId());
        assertTrue(busy.getMessage().contains(first), busy.getMessage());
        String other = startWidget("w-" + Ids.newId("x"), "elsewhere"); // another widget is not busy
        poke(widget, "a");
        await("the first one ended", () -> operation(first).status() == OperationStatus.SUCCEEDED);
        String second = startWidget(widget, "two"); // free again
        poke(widget, "b");
        await("the second one ended", () -> operation(second).status() == OperationStatus.SUCCEEDED);
        assertEquals(OperationStatus.RUNNING, operation(other).status());
    }

    @Test
    void aWorkflowStartedPreemptingWaitsForTheActiveOneToBeCancelled() {
        String widget = "w-" + Ids.newId("x");
        String first = startWidget(widget, "one");
        await("the first waits", () -> detail(first).contains("waiting for a poke"));
        String second = Ids.newId("op");
        WidgetFlow.Data data = new WidgetFlow.Data();
        data.greeting = "two";
        WorkflowState state = tx.run(c -> {
            insertOperation(c, second, widget);
            return workflows.startPreempting(c, second, widgets, widget, data);
        });
        assertEquals(WorkflowState.WAITING, state);
        await("the first was cancelled", () -> operation(first).status() == OperationStatus.FAILED);
        assertEquals("Cancelled", operation(first).fault().code());
        await("the second runs", () -> detail(second).contains("waiting for a poke"));
        poke(widget, "c");
        await("the second ended", () -> operation(second).status() == OperationStatus.SUCCEEDED);
    }

    @Test
    void dataWrittenByAnOlderBuildIsUpgradedAndRuns() {
        String widget = "w-" + Ids.newId("x");
        String opId = Ids.newId("op");
        tx.run(c -> {
            insertOperation(c, opId, widget);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO workflows (operation_id, resource_type,"
                    + " resource_id, flow, step, state, data) VALUES (?, 'widget', ?, ?, ?, 'RUNNING',"
                    + " '{\"hello\": \"from version 1\"}'::jsonb)")) {
                ps.setString(1, opId);
                ps.setString(2, widget);
                ps.setString(3, WidgetFlow.NAME);
                ps.setString(4, WidgetFlow.WAIT);
                ps.executeUpdate();
            }
            return null;
        });
        poke(widget, "upgrade");
        await("the old workflow ended", () -> operation(opId).status() == OperationStatus.SUCCEEDED);
        assertEquals("from version 1, poked by upgrade", detail(opId));
        String stored = tx.run(c -> repository.find(c, opId)).orElseThrow().data();
        assertTrue(stored.contains("\"version\": 2") || stored.contains("\"version\":2"), stored);
    }

    @Test
    void aCreateRunsToActiveWithoutThePoll() {
        Fakes fakes = Fakes.get();
        String network = fakes.network.addNetwork(projectId, false, true);
        String image = fakes.storage.addImage(projectId, "ACTIVE", "qcow2", 1, false);
        var m = midway.create(projectId, network, image, false, null, null);
        midway.awaitStatus(m.instanceId(), InstanceStatus.ACTIVE);
    }

    private Operation operation(String opId) {
        return tx.run(c -> operations.find(c, opId)).orElseThrow();
    }

    private String detail(String opId) {
        var steps = operation(opId).steps();
        return steps.isEmpty() || steps.get(steps.size() - 1).detail() == null ? ""
                : steps.get(steps.size() - 1).detail();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BUDGET.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + BUDGET.toSeconds() + " s (the poll is "
                        + WakeTestProfile.POLL + "): " + what);
            }
            MidwayCreates.sleep(20);
        }
    }
}
