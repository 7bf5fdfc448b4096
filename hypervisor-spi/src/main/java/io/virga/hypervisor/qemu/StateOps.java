package io.virga.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.PowerState;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Suspend to disk and back, and the migration-stream plumbing it shares with live migration.
 *
 * <pre>
 * operation        | from            | QEMU                                                     | to
 * -----------------+-----------------+----------------------------------------------------------+----------
 * suspend          | RUNNING PAUSED  | stop; migrate to "exec:cat > memory.state"; quit          | SUSPENDED
 * resumeSuspended  | SUSPENDED       | launch -incoming defer; migrate-incoming from the file;  | RUNNING
 *                  |                 | cont; the file is removed                                 |
 * </pre>
 */
final class StateOps {
    private final QemuRuntime rt;

    StateOps(QemuRuntime rt) {
        this.rt = rt;
    }

    GuestStatus suspend(String id) {
        return rt.locked(id, () -> {
            QemuGuest g = rt.guest(id);
            switch (g.state()) {
                case SUSPENDED:
                    return g.status;
                case RUNNING:
                case PAUSED:
                    break;
                default:
                    throw new GuestConflictException("guest " + id + " is " + g.state() + "; only a running or paused guest suspends");
            }
            boolean wasRunning = g.state() == PowerState.RUNNING;
            try {
                Files.deleteIfExists(g.files.memoryState());
                rt.qmp(g, "stop", null);
                migrateOut(g, "exec:cat > " + shellQuote(g.files.memoryState().toString()), false);
            } catch (IOException | RuntimeException e) {
                try {
                    Files.deleteIfExists(g.files.memoryState());
                    if (wasRunning) {
                        rt.qmp(g, "cont", null);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // report the first failure
                }
                throw e instanceof RuntimeException r ? r
                        : new HypervisorException("cannot suspend guest " + id + ": " + e.getMessage(), e);
            }
            rt.terminate(g, Duration.ZERO);
            return rt.publish(g, PowerState.SUSPENDED, g.status.startedAt());
        });
    }

    GuestStatus resumeSuspended(String id) {
        return rt.locked(id, () -> {
            QemuGuest g = rt.guest(id);
            switch (g.state()) {
                case RUNNING:
                    return g.status;
                case SUSPENDED:
                    break;
                default:
                    throw new GuestConflictException("guest " + id + " is " + g.state() + "; only a suspended guest resumes from disk");
            }
            if (!Files.isReadable(g.files.memoryState())) {
                throw new HypervisorException("the saved state of guest " + id + " (" + g.files.memoryState() + ") is missing");
            }
            rt.launch(g, QemuCommandLine.Start.INCOMING);
            try {
                migrateIn(g, "exec:cat " + shellQuote(g.files.memoryState().toString()));
                rt.qmp(g, "cont", null);
            } catch (RuntimeException e) {
                rt.terminate(g, Duration.ZERO);
                throw e;
            }
            try {
                Files.deleteIfExists(g.files.memoryState());
            } catch (IOException e) {
                // harmless: it is overwritten by the next suspend
            }
            return rt.publish(g, PowerState.RUNNING, g.status.startedAt());
        });
    }

    /** Sets migration parameters for speed (no bandwidth cap: the default of 32 MiB/s is for WANs). */
    void tune(QemuGuest g) {
        rt.qmp(g, "migrate-set-parameters", Map.of("max-bandwidth", 8L << 30, "downtime-limit", 500));
    }

    /**
     * Source side: {@code migrate} to {@code uri} and waits until QEMU reports it completed.
     *
     * @throws HypervisorException when the migration fails or is cancelled
     */
    void migrateOut(QemuGuest g, String uri, boolean incrementalBlock) {
        tune(g);
        QmpClient qmp = rt.qmp(g);
        CompletableFuture<JsonNode> done = qmp.nextEvent("MIGRATION", d -> isFinal(d.path("status").asText()));
        rt.qmp(g, "migrate-set-capabilities", Map.of("capabilities", java.util.List.of(
                Map.of("capability", "events", "state", true))));
        if (incrementalBlock) {
            rt.qmp(g, "migrate", Map.of("uri", uri, "blk", true, "inc", true));
        } else {
            rt.qmp(g, "migrate", Map.of("uri", uri));
        }
        String status = awaitFinal(g, done);
        if (!"completed".equals(status)) {
            JsonNode info = rt.qmp(g, "query-migrate", null);
            throw new HypervisorException("migration of guest " + g.id + " " + status + ": "
                    + info.path("error-desc").asText(status));
        }
    }

    /** Destination side: feeds the waiting QEMU ({@code -incoming defer}) from {@code uri} and waits for it. */
    void migrateIn(QemuGuest g, String uri) {
        QmpClient qmp = rt.qmp(g);
        CompletableFuture<JsonNode> done = qmp.nextEvent("MIGRATION", d -> isFinal(d.path("status").asText()));
        rt.qmp(g, "migrate-set-capabilities", Map.of("capabilities", java.util.List.of(
                Map.of("capability", "events", "state", true))));
        rt.qmp(g, "migrate-incoming", Map.of("uri", uri));
        String status = awaitFinal(g, done);
        if (!"completed".equals(status)) {
            throw new HypervisorException("restoring guest " + g.id + " failed (" + status + "): "
                    + QemuProcesses.tail(g.files.stderr()));
        }
    }

    static boolean isFinal(String status) {
        return status.equals("completed") || status.equals("failed") || status.equals("cancelled");
    }

    /** Waits for the final MIGRATION event, polling {@code query-migrate} as a fallback. */
    private String awaitFinal(QemuGuest g, CompletableFuture<JsonNode> done) {
        long deadline = System.nanoTime() + rt.options.commandTimeout().multipliedBy(10).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return done.get(1, TimeUnit.SECONDS).path("status").asText();
            } catch (java.util.concurrent.TimeoutException e) {
                String s = rt.qmp(g, "query-migrate", null).path("status").asText("");
                if (isFinal(s)) {
                    done.cancel(false);
                    return s;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HypervisorException("interrupted during the migration of guest " + g.id);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new HypervisorException("QEMU of guest " + g.id + " went away during a migration: "
                        + QemuProcesses.tail(g.files.stderr()));
            }
        }
        done.cancel(false);
        throw new HypervisorException("migration of guest " + g.id + " did not finish within "
                + rt.options.commandTimeout().multipliedBy(10));
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
