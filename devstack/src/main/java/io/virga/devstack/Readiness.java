package io.virga.devstack;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Waits for a group of service processes that boot in parallel. */
final class Readiness {

    private Readiness() {
    }

    /**
     * Polls every process's {@code /q/health/ready} (every 250 ms) until all answer 200,
     * calling {@code onReady} once per process as it becomes ready, and
     * {@code beforeEachRound} before each polling round (to abort, it throws).
     *
     * <p>A process whose log reports that it could not bind a port (it may have exited or
     * not) is handed to {@code onBindFailure}, which stops it and returns the process
     * started in its place (then waited for, with a fresh {@code timeout}) or throws.
     *
     * @throws DevstackException as soon as one process exits for another reason, or when
     *                           {@code timeout} passes; the message quotes that process's log
     */
    static void await(List<ManagedProcess> group, Duration timeout, Runnable beforeEachRound,
                      Consumer<ManagedProcess> onReady, UnaryOperator<ManagedProcess> onBindFailure) {
        Map<ManagedProcess, Integer> pending = new LinkedHashMap<>();
        Map<ManagedProcess, Long> deadlines = new LinkedHashMap<>();
        group.forEach(p -> {
            pending.put(p, -1);
            deadlines.put(p, System.nanoTime() + timeout.toNanos());
        });
        while (!pending.isEmpty()) {
            beforeEachRound.run();
            for (ManagedProcess p : List.copyOf(pending.keySet())) {
                boolean alive = p.isAlive(); // first: once it has exited, its whole log is written
                if (p.reportsBindFailure()) {
                    ManagedProcess next = onBindFailure.apply(p);
                    pending.remove(p);
                    deadlines.remove(p);
                    pending.put(next, -1);
                    deadlines.put(next, System.nanoTime() + timeout.toNanos());
                    continue;
                }
                if (!alive) {
                    throw new DevstackException(LogTail.describe(p.name() + " exited with code " + p.exitValue()
                            + " before it was ready", p.logFile()));
                }
                int code = p.probeReady();
                pending.put(p, code);
                if (code == 200) {
                    pending.remove(p);
                    deadlines.remove(p);
                    onReady.accept(p);
                } else if (System.nanoTime() > deadlines.get(p)) {
                    throw new DevstackException(LogTail.describe(p.name() + " not ready within " + timeout.toSeconds()
                            + " s: " + p.healthUrl() + " answered "
                            + (code < 0 ? "nothing" : "HTTP " + code), p.logFile()));
                }
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
