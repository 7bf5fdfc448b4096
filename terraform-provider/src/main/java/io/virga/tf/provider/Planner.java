package io.virga.tf.provider;

import io.virga.tf.resource.Resource;
import io.virga.tf.schema.Attr;
import io.virga.tf.value.Unknown;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The generic part of PlanResourceChange. Terraform proposes the new object (configuration merged
 * with prior computed values); the provider answers the planned object and the attributes that force
 * a replacement:
 * <ul>
 * <li>destroy (no proposed object): planned is null;</li>
 * <li>create (no prior object): computed attributes the configuration leaves null are unknown;</li>
 * <li>replace (a {@code forceNew} attribute, or one the type names, differs): as create;</li>
 * <li>update in place (another attribute differs): the type's {@link Resource#changedByUpdate} attributes
 *     are unknown, the rest keep their prior values;</li>
 * <li>no change: planned is the prior object.</li>
 * </ul>
 */
public final class Planner {
    /** The planned object (null for destroy) and the attributes whose change replaces. */
    public record Plan(Map<String, Object> planned, List<String> requiresReplace) {
    }

    private Planner() {
    }

    public static Plan plan(Resource type, Map<String, Object> prior, Map<String, Object> proposed,
            Map<String, Object> config) {
        if (proposed == null) {
            return new Plan(null, List.of());
        }
        Map<String, Object> planned = new LinkedHashMap<>(proposed);
        if (prior == null) {
            unknownComputed(type, planned, config);
            return new Plan(planned, List.of());
        }
        List<String> replace = new ArrayList<>();
        boolean changed = false;
        for (Attr a : type.schema().attributes()) {
            if (!a.optional() && !a.required()) {
                continue;
            }
            if (!Objects.equals(prior.get(a.name()), proposed.get(a.name()))) {
                changed = true;
                if (a.forceNew()) {
                    replace.add(a.name());
                }
            }
        }
        for (String extra : type.replaceWhen(prior, proposed)) {
            if (!replace.contains(extra)) {
                replace.add(extra);
            }
        }
        if (!replace.isEmpty()) {
            unknownComputed(type, planned, config);
        } else if (changed) {
            for (String a : type.changedByUpdate()) {
                planned.put(a, Unknown.VALUE);
            }
        }
        return new Plan(planned, replace);
    }

    /** Computed attributes not set by the configuration become unknown (known after apply). */
    private static void unknownComputed(Resource type, Map<String, Object> planned, Map<String, Object> config) {
        for (Attr a : type.schema().attributes()) {
            if (a.computed() && (config == null || config.get(a.name()) == null)) {
                planned.put(a.name(), Unknown.VALUE);
            }
        }
    }
}
