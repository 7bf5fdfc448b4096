package io.virga.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.PowerState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Power and pause operations of the qemu driver:
 *
 * <pre>
 * operation          | from                              | QEMU                                  | to
 * -------------------+-----------------------------------+---------------------------------------+---------
 * stop               | RUNNING PAUSED SUSPENDED CRASHED  | quit (SIGKILL if it lingers)          | SHUTDOWN
 * shutdown(grace)    | same                              | system_powerdown, wait, then quit     | SHUTDOWN
 * start              | SHUTDOWN CRASHED                  | launch, cont                          | RUNNING
 * reboot (hard)      | RUNNING                           | system_reset                          | RUNNING
 * reboot soft(grace) | RUNNING                           | ctrl-alt-delete, wait RESET, or reset | RUNNING
 * pause              | RUNNING                           | stop                                  | PAUSED
 * resume             | PAUSED                            | cont                                  | RUNNING
 * </pre>
 * A SUSPENDED guest that is stopped loses its saved memory.
 */
final class PowerOps {
    private final QemuRuntime rt;

    PowerOps(QemuRuntime rt) {
        this.rt = rt;
    }

    GuestStatus shutdown(String id, Duration grace) {
        return rt.locked(id, () -> {
            QemuGuest g = rt.guest(id);
            switch (g.state()) {
                case SHUTDOWN:
                    return g.status;
                case RUNNING:
                case PAUSED:
                    if (!grace.isZero() && !grace.isNegative() && g.state() == PowerState.RUNNING) {
                        askToPowerOff(g, grace);
                    }
                    rt.terminate(g, Duration.ZERO);
                    return rt.publish(g, PowerState.SHUTDOWN, g.status.startedAt());
                case SUSPENDED:
                    try {
                        java.nio.file.Files.deleteIfExists(g.files.memoryState());
                    } catch (java.io.IOException e) {
                        throw new HypervisorException("cannot remove the saved state of guest " + id + ": " + e.getMessage());
                    }
                    return rt.publish(g, PowerState.SHUTDOWN, g.status.startedAt());
                case CRASHED:
                    rt.terminate(g, Duration.ZERO);
                    return rt.publish(g, PowerState.SHUTDOWN, g.status.startedAt());
                default:
                    throw new GuestConflictException("guest " + id + " is " + g.state() + " and cannot be stopped");
            }
        });
    }

    /** ACPI power button; waits up to {@code grace} for the guest to power itself off. */
    private void askToPowerOff(QemuGuest g, Duration grace) {
        QmpClient qmp = rt.qmp(g);
        CompletableFuture<JsonNode> off = qmp.nextEvent("SHUTDOWN", d -> true);
        try {
            qmp.execute("system_powerdown", null, rt.options.commandTimeout());
            off.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // not within the grace period (or QEMU went away): forced off by the caller
            off.cancel(false);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    GuestStatus start(String id) {
        return rt.locked(id, () -> {
            QemuGuest g = rt.guest(id);
            switch (g.state()) {
                case RUNNING:
                    return g.status;
                case SHUTDOWN:
                case CRASHED:
                    rt.terminate(g, Duration.ZERO);
                    boot(g);
                    return g.status;
                default:
                    throw new GuestConflictException("guest " + id + " is " + g.state() + "; "
                            + (g.state() == PowerState.BUILDING ? "wait for its build" : "resume it instead of starting it"));
            }
        });
    }

    /** Launches and runs the guest's QEMU; RUNNING with a new startedAt. Under the guest's lock. */
    void boot(QemuGuest g) {
        rt.createLocalDisks(g);
        rt.launch(g, QemuCommandLine.Start.BOOT);
        try {
            rt.markBoot(g);
            rt.qmp(g, "cont", null);
        } catch (RuntimeException e) {
            rt.terminate(g, Duration.ZERO);
            throw e;
        }
        rt.publish(g, PowerState.RUNNING, Instant.now());
    }

    GuestStatus reboot(String id, boolean hard, Duration grace) {
        return rt.locked(id, () -> {
            QemuGuest g = rt.guest(id);
            if (g.state() != PowerState.RUNNING) {
                throw new GuestConflictException("guest " + id + " is " + g.state() + "; only a running guest reboots");
            }
            QmpClient qmp = rt.qmp(g);
            boolean done = false;
            if (!hard && !grace.isZero() && !grace.isNegative()) {
                CompletableFuture<JsonNode> reset = qmp.nextEvent("RESET", d -> true);
                rt.markBoot(g);
                try {
                    qmp.execute("send-key", Map.of("keys", java.util.List.of(
                            Map.of("type", "qcode", "data", "ctrl"), Map.of("type", "qcode", "data", "alt"),
                            Map.of("type", "qcode", "data", "delete"))), rt.options.commandTimeout());
                    reset.get(grace.toMillis(), TimeUnit.MILLISECONDS);
                    done = true;
                } catch (Exception e) {
                    reset.cancel(false);
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            if (!done) {
                rt.markBoot(g);
                qmp.execute("system_reset", null, rt.options.commandTimeout());
            }
            return rt.publish(g, PowerState.RUNNING, Instant.now());
        });
    }

    GuestStatus pause(String id) {
        return rt.locked(id, () -> {
            QemuGuest g = rt.guest(id);
            switch (g.state()) {
                case PAUSED:
                    return g.status;
                case RUNNING:
                    rt.qmp(g, "stop", null);
                    return rt.publish(g, PowerState.PAUSED, g.status.startedAt());
                default:
                    throw new GuestConflictException("guest " + id + " is " + g.state() + "; only a running guest pauses");
            }
        });
    }

    GuestStatus resume(String id) {
        return rt.locked(id, () -> {
            QemuGuest g = rt.guest(id);
            switch (g.state()) {
                case RUNNING:
                    return g.status;
                case PAUSED:
                    rt.qmp(g, "cont", null);
                    return rt.publish(g, PowerState.RUNNING, g.status.startedAt());
                default:
                    throw new GuestConflictException("guest " + id + " is " + g.state() + "; only a paused guest resumes");
            }
        });
    }
}
