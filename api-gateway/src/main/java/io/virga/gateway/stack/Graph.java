package io.virga.gateway.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dependencies between resources (address to the addresses it references).
 * Orders them so that every resource comes after what it depends on, and
 * finds cycles.
 */
public final class Graph {
    private final Map<String, Set<String>> deps;

    /** @param deps every node (in a stable order) to its dependencies; unknown dependencies are ignored */
    public Graph(Map<String, Set<String>> deps) {
        this.deps = new LinkedHashMap<>();
        deps.forEach((k, v) -> {
            Set<String> known = new LinkedHashSet<>();
            v.stream().filter(deps::containsKey).forEach(known::add);
            this.deps.put(k, known);
        });
    }

    public Set<String> dependencies(String node) {
        return deps.getOrDefault(node, Set.of());
    }

    /** Nodes that depend on {@code node} directly. */
    public Set<String> dependants(String node) {
        Set<String> out = new LinkedHashSet<>();
        deps.forEach((k, v) -> {
            if (v.contains(node)) {
                out.add(k);
            }
        });
        return out;
    }

    /** Every node after its dependencies (ties in the given order). Precondition: no cycle. */
    public List<String> order() {
        List<String> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        while (out.size() < deps.size()) {
            boolean progressed = false;
            for (var e : deps.entrySet()) {
                if (!done.contains(e.getKey()) && done.containsAll(e.getValue())) {
                    done.add(e.getKey());
                    out.add(e.getKey());
                    progressed = true;
                }
            }
            if (!progressed) {
                throw new IllegalStateException("cycle among " + deps.keySet());
            }
        }
        return out;
    }

    /** The cycles found, each as the path {@code a -> b -> a}; empty when there is none. */
    public List<List<String>> cycles() {
        List<List<String>> out = new ArrayList<>();
        Set<String> finished = new LinkedHashSet<>();
        for (String start : deps.keySet()) {
            walk(start, new ArrayList<>(), finished, out);
        }
        return out;
    }

    private void walk(String node, List<String> stack, Set<String> finished, List<List<String>> out) {
        if (finished.contains(node)) {
            return;
        }
        int at = stack.indexOf(node);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(stack.subList(at, stack.size()));
            cycle.add(node);
            out.add(cycle);
            return;
        }
        stack.add(node);
        for (String d : dependencies(node)) {
            walk(d, stack, finished, out);
        }
        stack.remove(stack.size() - 1);
        finished.add(node);
    }
}
