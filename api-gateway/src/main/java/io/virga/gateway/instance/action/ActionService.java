package io.virga.gateway.instance.action;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.gateway.auth.Caller;
import io.virga.gateway.auth.Role;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.idempotency.KeyGuard;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceService;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.instance.InstanceView;
import io.virga.gateway.instance.StaleInstanceException;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.operation.OperationStatus;
import io.virga.platform.db.Tx;
import io.virga.platform.ids.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Starting an instance action. In order, before anything changes: the body
 * is valid (400), the instance is the caller's (404), it is not locked
 * against the caller (409), the action is allowed from its status (409
 * naming the status and the allowed ones, {@link InstanceAction}), its host
 * has the trait the action needs (409 naming the trait). Then one
 * transaction writes the operation, the workflow (409 naming the running
 * operation if another one is active on the instance), the task the
 * instance shows, and the Idempotency-Key answer; the runner is woken.
 * Power actions and lock/unlock are handled here; the others by an
 * {@link ActionStarter} (snapshot, rebuild, resize, migrations, evacuate),
 * whose {@link ActionStarter#prepare} runs after the checks above.
 */
@ApplicationScoped
public class ActionService {
    private static final int CAS_RETRIES = 5;

    private final Tx tx;
    private final InstanceRepository instances;
    private final InstanceStateWriter writer;
    private final OperationRepository operations;
    private final io.virga.gateway.workflow.Workflows workflows;
    private final PowerFlow powerFlow;
    private final HostTraits traits;
    private final java.util.Map<InstanceAction, ActionStarter> starters = new java.util.EnumMap<>(
            InstanceAction.class);

    public ActionService(Tx tx, InstanceRepository instances, InstanceStateWriter writer,
                         OperationRepository operations, io.virga.gateway.workflow.Workflows workflows,
                         PowerFlow powerFlow, HostTraits traits,
                         jakarta.enterprise.inject.Instance<ActionStarter> starters) {
        this.tx = tx;
        this.instances = instances;
        this.writer = writer;
        this.operations = operations;
        this.workflows = workflows;
        this.powerFlow = powerFlow;
        this.traits = traits;
        for (ActionStarter s : starters) {
            s.actions().forEach(a -> this.starters.put(a, s));
        }
    }

    /** Starts the action; the instance as it is after the request, and the operation. */
    public InstanceService.Accepted act(Caller caller, String id, JsonNode body, KeyGuard key) {
        ActionRequest request = ActionRequest.parse(body);
        Instance before = visible(caller, id);
        check(caller, before, request.action());
        traits.require(before, request.action());
        ActionStarter starter = starters.get(request.action());
        ActionStarter.Start prepared = starter == null ? null : starter.prepare(caller, before, request);
        for (int attempt = 1; ; attempt++) {
            try {
                InstanceService.Accepted accepted = tx.run(c -> start(c, caller, id, request, prepared, key));
                workflows.wakeUp();
                return accepted;
            } catch (StaleInstanceException e) {
                if (attempt >= CAS_RETRIES) {
                    throw ApiException.conflict("instance " + id + " is changing; try again");
                }
            }
        }
    }

    private InstanceService.Accepted start(Connection c, Caller caller, String id, ActionRequest request,
                                           ActionStarter.Start prepared, KeyGuard key) throws Exception {
        Instance current = instances.find(c, id).orElseThrow(() -> ApiException.notFound("instance", id));
        InstanceAction action = request.action();
        check(caller, current, action); // again, in the transaction: the instance may have changed meanwhile
        String opId = Ids.newId("op");
        operations.insert(c, opId, current.projectId(), action.operation(), id,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        Instance after;
        switch (action) {
            case LOCK, UNLOCK -> {
                after = instances.updateAttributes(c, current, current.name(), current.description(),
                        current.metadata(), current.tags(), action == InstanceAction.LOCK);
                operations.finishStep(c, opId, action.value(), OperationStatus.SUCCEEDED,
                        action == InstanceAction.LOCK ? "locked" : "unlocked");
                operations.finish(c, opId, OperationStatus.SUCCEEDED, null);
            }
            case STOP, START, REBOOT, PAUSE, UNPAUSE, SUSPEND, RESUME -> {
                PowerData data = new PowerData();
                data.action = action.value();
                data.hard = request.hard();
                data.graceSeconds = request.graceSeconds();
                workflows.start(c, opId, powerFlow, id, data);
                InstanceTask task = action == InstanceAction.REBOOT && request.hard()
                        ? InstanceTask.REBOOTING_HARD : action.task();
                after = writer.apply(c, current, InstanceChange.of(current).task(task));
            }
            default -> {
                if (prepared == null) {
                    throw new IllegalStateException("no starter for action " + action.value());
                }
                after = prepared.run(c, current, opId);
            }
        }
        key.answer(c, 202, InstanceService.location(opId), InstanceView.of(after));
        return new InstanceService.Accepted(after, opId);
    }

    private Instance visible(Caller caller, String id) {
        // the caller's project's instance; cloud admins act on any (migrate to a host, evacuate)
        return tx.run(c -> instances.find(c, id)).filter(i -> caller.canSee(i.projectId()))
                .orElseThrow(() -> ApiException.notFound("instance", id));
    }

    /** Lock and state table; throws the 409s. */
    static void check(Caller caller, Instance i, InstanceAction action) {
        if (i.locked() && action != InstanceAction.UNLOCK && action != InstanceAction.LOCK && !mayOverrideLock(caller)) {
            throw ApiException.conflict("instance " + i.id() + " is locked; unlock it first (or act as an admin)");
        }
        if (!action.allowedFrom(i.status())) {
            throw ApiException.invalidState("instance " + i.id() + " is " + i.status() + "; " + action.value()
                    + " is allowed from " + String.join(", ", action.allowedNames()), i.status().name(),
                    action.allowedNames());
        }
    }

    /** Admins (of the project, or of the cloud) act on locked instances. */
    public static boolean mayOverrideLock(Caller caller) {
        return caller.cloudAdmin() || caller.role() == Role.ADMIN;
    }
}
