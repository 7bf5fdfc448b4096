package io.virga.devstack;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Waits for a group of service processes that boot in parallel. */
final class Readiness {

    private Readiness() {
    }

    /**
     * Polls every process's {@code /q/health/ready} (every 250 ms) until all answer 200,
     * calling {@code onReady} once per process as it becomes ready, and
     * {@code beforeEachRound} before each polling round (to abort, it throws).
     *
     * @throws DevstackException as soon as one process exits, or when {@code timeout}
     *                           passes; the message quotes that process's log
     */
    static void await(List<ManagedProcess> group, Duration timeout, Runnable beforeEachRound,
                      Consumer<ManagedProcess> onReady) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<ManagedProcess, Integer> pending = new LinkedHashMap<>();
        group.forEach(p -> pending.put(p, -1));
        while (!pending.isEmpty()) {
            beforeEachRound.run();
            for (ManagedProcess p : List.copyOf(pending.keySet())) {
                if (!p.isAlive()) {
                    throw new DevstackException(LogTail.describe(p.name() + " exited with code " + p.exitValue()
                            + " before it was ready", p.logFile()));
                }
                int code = p.probeReady();
                pending.put(p, code);
                if (code == 200) {
                    pending.remove(p);
                    onReady.accept(p);
                }
            }
            if (!pending.isEmpty() && System.nanoTime() > deadline) {
                Map.Entry<ManagedProcess, Integer> late = pending.entrySet().iterator().next();
                ManagedProcess p = late.getKey();
                throw new DevstackException(LogTail.describe(p.name() + " not ready within " + timeout.toSeconds()
                        + " s: " + p.healthUrl() + " answered "
                        + (late.getValue() < 0 ? "nothing" : "HTTP " + late.getValue()), p.logFile()));
            }
            if (!pending.isEmpty()) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DevstackException("interrupted while waiting for " + pending.keySet());
                }
            }
        }
    }
}
