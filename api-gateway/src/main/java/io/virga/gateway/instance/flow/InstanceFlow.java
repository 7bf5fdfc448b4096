package io.virga.gateway.instance.flow;

import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.workflow.StepTable;
import io.virga.gateway.workflow.WorkflowState;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A flow working on an instance: loads it for each step and, after each
 * saved step, shows on the instance the task the next step stands for
 * ({@link #taskOf}).
 */
public abstract class InstanceFlow<D> extends StepTable<Instance, D> {
    public static final String RESOURCE_TYPE = "instance";

    protected final InstanceRepository instances;
    protected final InstanceStateWriter writer;

    protected InstanceFlow(InstanceRepository instances, InstanceStateWriter writer) {
        this.instances = instances;
        this.writer = writer;
    }

    @Override
    public final String resourceType() {
        return RESOURCE_TYPE;
    }

    @Override
    public Instance load(Connection c, String resourceId) throws SQLException {
        return instances.find(c, resourceId).orElseThrow(
                () -> new IllegalStateException("instance " + resourceId + " does not exist"));
    }

    @Override
    public void afterStep(Connection c, String resourceId, String nextStep, WorkflowState state) throws Exception {
        Instance now = load(c, resourceId);
        InstanceTask task = taskOf(nextStep, state, now);
        if (task != null && task != now.task()) {
            writer.apply(c, now, InstanceChange.of(now).task(task));
        }
    }

    /**
     * The task the instance should show while the workflow stands at
     * {@code step}, or null to leave the instance's task alone.
     */
    protected abstract InstanceTask taskOf(String step, WorkflowState state, Instance instance);
}
