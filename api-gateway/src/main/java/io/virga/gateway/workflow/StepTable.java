package io.virga.gateway.workflow;

import java.util.LinkedHashMap;
import java.util.Map;

/** A flow's steps by name: subclasses {@link #add} them in their constructor. */
public abstract class StepTable<R, D> implements Flow<R, D> {
    private final Map<String, Step<R, D>> steps = new LinkedHashMap<>();

    protected final void add(Step<R, D> step) {
        if (steps.putIfAbsent(step.name(), step) != null) {
            throw new IllegalStateException(name() + " has two steps named " + step.name());
        }
    }

    @Override
    public Step<R, D> step(String name) {
        Step<R, D> step = steps.get(name);
        if (step == null) {
            throw new IllegalStateException(name() + " has no step " + name);
        }
        return step;
    }

    /** The step names in the order they were added. */
    public java.util.Set<String> stepNames() {
        return java.util.Collections.unmodifiableSet(steps.keySet());
    }
}
