package io.virga.gateway.stack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Runs tasks in parallel, each once all its prerequisites succeeded; a task whose prerequisite failed
 * or was skipped is skipped and never runs. Blocks until every task has ended.
 */
final class Dag {
    /** How a task ended. */
    enum Outcome { SUCCEEDED, FAILED, SKIPPED }

    private Dag() {
    }

    /**
     * @param prerequisites every task (in a stable order) to the tasks it waits for (others ignored)
     * @param work          runs a task; answers true on success (it should not throw)
     * @return every task's outcome
     */
    static Map<String, Outcome> run(Map<String, Set<String>> prerequisites, Predicate<String> work, Executor pool) {
        Graph g = new Graph(prerequisites);
        Map<String, CompletableFuture<Outcome>> futures = new LinkedHashMap<>();
        for (String task : g.order()) {
            List<CompletableFuture<Outcome>> before = g.dependencies(task).stream().map(futures::get).toList();
            CompletableFuture<Outcome> f = CompletableFuture.allOf(before.toArray(CompletableFuture[]::new))
                    .thenApplyAsync(x -> {
                        if (before.stream().anyMatch(b -> b.join() != Outcome.SUCCEEDED)) {
                            return Outcome.SKIPPED;
                        }
                        try {
                            return work.test(task) ? Outcome.SUCCEEDED : Outcome.FAILED;
                        } catch (RuntimeException e) {
                            return Outcome.FAILED;
                        }
                    }, pool);
            futures.put(task, f);
        }
        Map<String, Outcome> out = new LinkedHashMap<>();
        futures.forEach((k, f) -> out.put(k, f.join()));
        return out;
    }
}
