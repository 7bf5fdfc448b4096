package io.virga.gateway.workflow;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Every {@link Flow} bean of the application, by name (two flows with one name fail at startup). */
@ApplicationScoped
public class FlowRegistry {
    private final Map<String, Flow<?, ?>> flows = new HashMap<>();

    public FlowRegistry(@Any Instance<Flow<?, ?>> beans) {
        for (Flow<?, ?> f : beans) {
            Flow<?, ?> before = flows.putIfAbsent(f.name(), f);
            if (before != null) {
                throw new IllegalStateException("two flows named " + f.name() + ": " + before.getClass().getName()
                        + " and " + f.getClass().getName());
            }
        }
    }

    /** The flow named {@code name}; empty for a flow this build does not have (written by a newer one). */
    public Optional<Flow<?, ?>> find(String name) {
        return Optional.ofNullable(flows.get(name));
    }

    public java.util.Set<String> names() {
        return java.util.Set.copyOf(flows.keySet());
    }
}
