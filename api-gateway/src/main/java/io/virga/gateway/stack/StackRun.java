package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.operation.OperationStatus;
import io.virga.platform.db.Tx;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * One apply or destroy of a stack, run in the background as operation {@code operationId}: a step per
 * resource (visible at {@code GET /v1/operations/{id}}), ownership recorded as each resource settles,
 * and at the end the stack's outputs and status (APPLIED / FAILED, or for a destroy the stack removed /
 * DESTROY_FAILED) and the operation's outcome.
 */
final class StackRun implements Applier.Journal {
    private final Tx tx;
    private final StackStore store;
    private final OperationRepository operations;
    private final String projectId;
    private final String stack;
    private final String operationId;

    StackRun(Tx tx, StackStore store, OperationRepository operations, String projectId, String stack,
            String operationId) {
        this.tx = tx;
        this.store = store;
        this.operations = operations;
        this.projectId = projectId;
        this.stack = stack;
        this.operationId = operationId;
    }

    /** Applies {@code plan} ({@code destroy}: a plan of deletions only) and settles the stack and operation. */
    void run(World world, Executor pool, Spec spec, Plan plan, boolean destroy) {
        Applier.Result result;
        try {
            Map<String, StoredResource> owned = tx.run(c -> store.resources(c, projectId, stack));
            result = new Applier(world, pool, this).apply(spec, plan, owned);
        } catch (RuntimeException e) {
            finish(destroy ? "DESTROY_FAILED" : "FAILED", null, "the run stopped: " + e.getMessage());
            return;
        }
        if (destroy) {
            if (result.ok()) {
                tx.run(c -> {
                    store.drop(c, projectId, stack);
                    operations.finish(c, operationId, OperationStatus.SUCCEEDED, null);
                    return null;
                });
            } else {
                finish("DESTROY_FAILED", null, fault(result));
            }
            return;
        }
        JsonNode outputs = outputs(spec, plan);
        finish(result.ok() ? "APPLIED" : "FAILED", outputs, result.ok() ? null : fault(result));
    }

    private JsonNode outputs(Spec spec, Plan plan) {
        Map<String, StoredResource> owned = tx.run(c -> store.resources(c, projectId, stack));
        Resolver r = new Resolver(plan.variables(), a -> Optional.ofNullable(owned.get(a))
                .map(s -> Planner.merge(s.inputs(), s.outputs())));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        spec.outputs().values().forEach(o -> out.set(o.name(), r.resolve(o.value())));
        return out;
    }

    private static String fault(Applier.Result r) {
        StringBuilder b = new StringBuilder();
        b.append(r.failed().size()).append(" failed, ").append(r.skipped().size()).append(" skipped");
        r.failed().forEach(a -> b.append("; ").append(a).append(": ").append(r.faults().get(a)));
        return b.toString();
    }

    private void finish(String status, JsonNode outputs, String fault) {
        tx.run(c -> {
            store.settle(c, projectId, stack, status, outputs);
            operations.finish(c, operationId, fault == null ? OperationStatus.SUCCEEDED : OperationStatus.FAILED,
                    fault == null ? null : new Fault(fault, "stack.failed"));
            return null;
        });
    }

    @Override
    public void begin(String step) {
        tx.run(c -> {
            operations.beginStep(c, operationId, step);
            return null;
        });
    }

    @Override
    public void end(String step, boolean ok, String detail) {
        tx.run(c -> {
            operations.finishStep(c, operationId, step, ok ? OperationStatus.SUCCEEDED : OperationStatus.FAILED,
                    detail);
            return null;
        });
    }

    @Override
    public void saved(StoredResource r) {
        tx.run(c -> {
            store.save(c, projectId, stack, r);
            return null;
        });
    }

    @Override
    public void removed(String address) {
        tx.run(c -> {
            store.remove(c, projectId, stack, address);
            return null;
        });
    }
}
