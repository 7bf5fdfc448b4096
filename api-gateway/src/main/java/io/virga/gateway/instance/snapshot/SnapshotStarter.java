package io.virga.gateway.instance.snapshot;

import io.virga.gateway.auth.Caller;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.instance.action.ActionRequest;
import io.virga.gateway.instance.action.ActionStarter;
import io.virga.gateway.instance.action.InstanceAction;
import io.virga.gateway.workflow.Workflows;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** {@code snapshot}: starts {@link SnapshotFlow} with the image's name; the instance shows task image_snapshot. */
@ApplicationScoped
public class SnapshotStarter implements ActionStarter {
    private final Workflows workflows;
    private final SnapshotFlow flow;
    private final InstanceStateWriter writer;

    public SnapshotStarter(Workflows workflows, SnapshotFlow flow, InstanceStateWriter writer) {
        this.workflows = workflows;
        this.flow = flow;
        this.writer = writer;
    }

    @Override
    public Set<InstanceAction> actions() {
        return Set.of(InstanceAction.SNAPSHOT);
    }

    @Override
    public Start prepare(Caller caller, Instance instance, ActionRequest request) {
        return (c, current, opId) -> {
            SnapshotData data = new SnapshotData();
            data.name = request.name();
            workflows.start(c, opId, flow, current.id(), data);
            return writer.apply(c, current, InstanceChange.of(current).task(InstanceTask.IMAGE_SNAPSHOT));
        };
    }
}
