package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Carries out a {@link Plan} against the {@link World}, independent resources in parallel:
 * <ol>
 * <li>deletions (deleted resources and the old half of replacements), dependants before what they
 * depend on;</li>
 * <li>creations, updates and the new half of replacements, each after what it references.</li>
 * </ol>
 * A failure stops what depends on the failed resource (skipped), keeps everything that succeeded
 * (recorded at once through the {@link Journal}), and the next plan starts from there: a second apply
 * converges.
 */
public final class Applier {
    /** Where progress and ownership are recorded; called from several threads. */
    public interface Journal {
        void begin(String step);

        void end(String step, boolean ok, String detail);

        /** The stack owns {@code r} now (made or changed). */
        void saved(StoredResource r);

        /** The stack no longer owns {@code address}. */
        void removed(String address);
    }

    /** Steps by outcome; {@code known}: every resource's attributes afterwards (for outputs). */
    public record Result(List<String> failed, List<String> skipped, Map<String, JsonNode> known,
            Map<String, String> faults) {
        public boolean ok() {
            return failed.isEmpty() && skipped.isEmpty();
        }
    }

    private final World world;
    private final Executor pool;
    private final Journal journal;

    public Applier(World world, Executor pool, Journal journal) {
        this.world = world;
        this.pool = pool;
        this.journal = journal;
    }

    public Result apply(Spec spec, Plan plan, Map<String, StoredResource> owned) {
        Map<String, JsonNode> known = new ConcurrentHashMap<>();
        Map<String, String> faults = new ConcurrentHashMap<>();
        Map<String, Plan.Step> byAddress = new LinkedHashMap<>();
        plan.steps().forEach(s -> byAddress.put(s.address(), s));
        plan.steps().stream().filter(s -> s.action() == Plan.Action.NO_OP || s.action() == Plan.Action.UPDATE)
                .forEach(s -> known.put(s.address(), Planner.merge(s.inputs(), s.current())));

        Map<String, Set<String>> deletions = new LinkedHashMap<>();
        for (Plan.Step s : plan.steps()) {
            if (s.action() == Plan.Action.DELETE || s.action() == Plan.Action.REPLACE) {
                Set<String> after = new LinkedHashSet<>();
                owned.values().stream().filter(o -> o.dependsOn().contains(s.address()))
                        .map(StoredResource::address).filter(a -> isDeleted(byAddress.get(a)))
                        .forEach(after::add);
                deletions.put(s.address(), after);
            }
        }
        Map<String, Dag.Outcome> deleted = Dag.run(deletions, a -> delete(byAddress.get(a), owned.get(a), faults), pool);

        Graph specGraph = SpecValidator.graph(spec);
        Resolver resolver = new Resolver(plan.variables(), a -> Optional.ofNullable(known.get(a)));
        Map<String, Set<String>> changes = new LinkedHashMap<>();
        for (String a : specGraph.order()) {
            Plan.Step s = byAddress.get(a);
            if (s.action() == Plan.Action.NO_OP) {
                continue;
            }
            Set<String> after = new LinkedHashSet<>(specGraph.dependencies(a));
            after.removeIf(d -> byAddress.get(d).action() == Plan.Action.NO_OP);
            changes.put(a, after);
        }
        Map<String, Dag.Outcome> changed = Dag.run(changes, a -> {
            if (deleted.getOrDefault(a, Dag.Outcome.SUCCEEDED) != Dag.Outcome.SUCCEEDED) {
                faults.putIfAbsent(a, "its old version could not be deleted");
                return false;
            }
            Spec.Decl d = spec.decl(a).orElseThrow();
            return change(byAddress.get(a), d, resolver, specGraph.dependencies(a), known, faults);
        }, pool);

        List<String> failed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, Dag.Outcome> all = new LinkedHashMap<>(deleted);
        changed.forEach((k, v) -> all.merge(k, v, (x, y) -> x == Dag.Outcome.SUCCEEDED ? y : x));
        all.forEach((a, o) -> {
            if (o == Dag.Outcome.FAILED) {
                failed.add(a);
            } else if (o == Dag.Outcome.SKIPPED) {
                skipped.add(a);
                journal.begin(stepName(byAddress.get(a)));
                journal.end(stepName(byAddress.get(a)), false, "skipped: a resource it depends on failed");
            }
        });
        return new Result(failed, skipped, known, faults);
    }

    private static boolean isDeleted(Plan.Step s) {
        return s != null && (s.action() == Plan.Action.DELETE || s.action() == Plan.Action.REPLACE);
    }

    static String stepName(Plan.Step s) {
        return s.action().wire() + " " + s.address();
    }

    private boolean delete(Plan.Step s, StoredResource old, Map<String, String> faults) {
        String name = s.action() == Plan.Action.REPLACE ? "delete " + s.address() + " (replace)" : stepName(s);
        journal.begin(name);
        try {
            world.delete(s.kind(), s.id(), old.inputs());
            journal.removed(s.address());
            journal.end(name, true, null);
            return true;
        } catch (RuntimeException e) {
            faults.put(s.address(), e.getMessage());
            journal.end(name, false, e.getMessage());
            return false;
        }
    }

    private boolean change(Plan.Step s, Spec.Decl d, Resolver resolver, Set<String> deps, Map<String, JsonNode> known,
            Map<String, String> faults) {
        String name = stepName(s);
        journal.begin(name);
        JsonNode inputs = resolver.resolve(d.attrs());
        try {
            JsonNode view = s.action() == Plan.Action.UPDATE
                    ? world.update(s.kind(), s.id(), inputs, s.changes())
                    : world.create(s.kind(), inputs);
            String id = view.path("id").asText();
            known.put(s.address(), Planner.merge(inputs, view));
            journal.saved(new StoredResource(s.address(), s.kind(), id, inputs, view, deps));
            journal.end(name, true, id);
            return true;
        } catch (World.Failed e) {
            if (e.madeId() != null) {
                journal.saved(new StoredResource(s.address(), s.kind(), e.madeId(), inputs,
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                                .put("id", e.madeId()), deps));
            }
            faults.put(s.address(), e.getMessage());
            journal.end(name, false, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            faults.put(s.address(), String.valueOf(e.getMessage()));
            journal.end(name, false, String.valueOf(e.getMessage()));
            return false;
        }
    }
}
