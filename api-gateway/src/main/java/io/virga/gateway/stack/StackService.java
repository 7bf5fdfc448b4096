package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quarkus.runtime.StartupEvent;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.operation.OperationKind;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.operation.OperationStatus;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plans, applies and destroys stacks of the caller's project. Plans read the cloud (drift) and change
 * nothing but a plan record; applies and destroys are operations run in the background
 * ({@link StackRun}), one at a time per stack (409 while one runs).
 */
@ApplicationScoped
public class StackService {
    /** Resources changed at once by one apply. */
    static final int PARALLELISM = 8;

    private final Tx tx;
    private final StackStore store;
    private final OperationRepository operations;
    private final CloudWorld cloud;
    private final ExecutorService runs = Executors.newCachedThreadPool(r -> daemon(r, "stack-run"));
    private final ExecutorService workers = Executors.newFixedThreadPool(PARALLELISM, r -> daemon(r, "stack-step"));

    public StackService(Tx tx, StackStore store, OperationRepository operations, CloudWorld cloud) {
        this.tx = tx;
        this.store = store;
        this.operations = operations;
        this.cloud = cloud;
    }

    /** What a request gives: the spec text (YAML or JSON) and variable values, or a reviewed plan's id. */
    public record Input(String specText, Map<String, JsonNode> variables, String planId) {
    }

    /** A plan with its id (for a later apply) and the spec it was made from. */
    public record Planned(String planId, Plan plan) {
    }

    /** An apply or destroy started: its operation and the plan it carries out. */
    public record Started(String operationId, Plan plan) {
    }

    public Planned plan(Caller caller, String name, Input in) {
        checkName(name);
        Spec spec = SpecParser.parse(in.specText());
        Plan plan = planOf(caller, name, spec, in.variables());
        String id = Ids.newId("plan");
        tx.run(c -> {
            store.savePlan(c, new StackStore.SavedPlan(id, caller.projectId(), name, in.specText(),
                    JsonNodeFactory.instance.objectNode().setAll(in.variables()), plan.fingerprint()));
            return null;
        });
        return new Planned(id, plan);
    }

    /**
     * Plans and starts the apply. With a plan id: the plan's spec and variables (unless the request gives
     * its own), refused 409 when today's plan differs from the reviewed one.
     */
    public Started apply(Caller caller, String name, Input in) {
        checkName(name);
        String text = in.specText();
        Map<String, JsonNode> vars = in.variables();
        StackStore.SavedPlan reviewed = null;
        if (in.planId() != null) {
            reviewed = tx.run(c -> store.plan(c, caller.projectId(), name, in.planId()))
                    .orElseThrow(() -> ApiException.notFound("plan", in.planId()));
            if (text == null) {
                text = reviewed.spec();
                vars = new LinkedHashMap<>();
                Map<String, JsonNode> v = vars;
                reviewed.variables().fields().forEachRemaining(e -> v.put(e.getKey(), e.getValue()));
            }
        }
        if (text == null) {
            throw ApiException.badRequest("spec", "is required (or give plan_id)");
        }
        Spec spec = SpecParser.parse(text);
        Plan plan = planOf(caller, name, spec, vars);
        if (reviewed != null && !reviewed.fingerprint().equals(plan.fingerprint())) {
            throw ApiException.conflict("the world changed since plan " + reviewed.id()
                    + " was made (or the spec differs from it); plan again and review the new plan");
        }
        String specText = text;
        JsonNode varTree = JsonNodeFactory.instance.objectNode().setAll(vars);
        String op = start(caller, name, OperationKind.STACK_APPLY, "APPLYING", specText, varTree);
        runs.execute(() -> new StackRun(tx, store, operations, caller.projectId(), name, op)
                .run(cloud.as(caller), workers, spec, plan, false));
        return new Started(op, plan);
    }

    /** Starts deleting everything the stack owns, dependants first; the stack is gone when it succeeds. */
    public Started destroy(Caller caller, String name) {
        StackStore.Row row = get(caller, name);
        Spec empty = new Spec(LocatedJson.of(JsonNodeFactory.instance.objectNode()), Map.of(), List.of(), Map.of());
        Map<String, StoredResource> owned = tx.run(c -> store.resources(c, caller.projectId(), name));
        Plan plan = Planner.plan(empty, Map.of(), owned, cloud.as(caller));
        String op = start(caller, name, OperationKind.STACK_DESTROY, "DESTROYING", null, null);
        runs.execute(() -> new StackRun(tx, store, operations, caller.projectId(), name, op)
                .run(cloud.as(caller), workers, empty, plan, true));
        return new Started(op, plan);
    }

    public StackStore.Row get(Caller caller, String name) {
        return tx.run(c -> store.find(c, caller.projectId(), name))
                .orElseThrow(() -> ApiException.notFound("stack", name));
    }

    public Map<String, StoredResource> resources(Caller caller, String name) {
        return tx.run(c -> store.resources(c, caller.projectId(), name));
    }

    public List<StackStore.Row> list(Caller caller) {
        return tx.run(c -> store.list(c, caller.projectId()));
    }

    private Plan planOf(Caller caller, String name, Spec spec, Map<String, JsonNode> vars) {
        Map<String, StoredResource> owned = tx.run(c -> store.resources(c, caller.projectId(), name));
        return Planner.plan(spec, vars, owned, cloud.as(caller));
    }

    private String start(Caller caller, String name, OperationKind kind, String status, String spec,
            JsonNode vars) {
        String op = Ids.newId("op");
        boolean claimed = tx.run(c -> {
            if (spec != null) {
                store.ensure(c, caller.projectId(), name, spec, vars);
            }
            if (!store.claim(c, caller.projectId(), name, status, op, spec, vars)) {
                return false;
            }
            operations.insert(c, op, caller.projectId(), kind, "stack/" + name,
                    Instant.now().truncatedTo(ChronoUnit.MICROS));
            return true;
        });
        if (!claimed) {
            StackStore.Row row = get(caller, name);
            throw ApiException.busy("stack " + name + " is " + row.status() + "; wait for operation "
                    + row.lastOperationId(), row.lastOperationId());
        }
        return op;
    }

    static void checkName(String name) {
        if (name == null || !SpecParser.NAME.matcher(name).matches()) {
            throw ApiException.badRequest("name", "a stack name is a letter then letters, digits, '_' or '-'"
                    + " (at most 63)");
        }
    }

    /** A gateway that stopped mid-run leaves stacks APPLYING or DESTROYING: they end FAILED; apply again. */
    void recover(@Observes StartupEvent event) {
        tx.run(c -> {
            try (var ps = c.prepareStatement("SELECT project_id, name, status, last_operation_id FROM stacks"
                    + " WHERE status IN ('APPLYING', 'DESTROYING')"); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    String failed = "APPLYING".equals(rs.getString(3)) ? "FAILED" : "DESTROY_FAILED";
                    store.settle(c, rs.getString(1), rs.getString(2), failed, null);
                    if (rs.getString(4) != null) {
                        operations.finish(c, rs.getString(4), OperationStatus.FAILED, new Fault(
                                "the gateway restarted during the run; apply again to converge", "stack.interrupted"));
                    }
                }
            }
            return null;
        });
    }

    @PreDestroy
    void stop() {
        runs.shutdownNow();
        workers.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
